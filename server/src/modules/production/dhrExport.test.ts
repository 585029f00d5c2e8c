import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, Client, startTestServer, type TestServer } from '../../../test/harness.ts';
import { validatePdfA } from '../../../test/verapdf.ts';

// The DHR of the seeded released infusion-set lot as a sealed PDF, checked by the tools an
// auditor would use: pdfsig (signature), qpdf (structure), pdffonts (every font embedded),
// pdftotext (the ledger head hash), pdfdetach (the certificates of analysis, byte for byte) and
// veraPDF (PDF/A-3b: the seeded suppliers' CoAs use Helvetica without embedding it, so they are
// embedded files behind reference pages, not merged pages).
let t: TestServer;
let qa: Client, op: Client;
const dir = mkdtempSync(path.join(tmpdir(), 'dhr-'));
const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' });

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  [qa, op] = await Promise.all(['qa.manager', 'operator'].map((u) => as(t.url, u)));
});
afterAll(async () => { await t?.stop(); });

async function exportPdf(c: Client, body: Record<string, unknown>) {
  const started = await c.post('/api/v1/exports', body);
  expect(started.status).toBe(202);
  let job = started.body;
  for (let i = 0; i < 300 && job.status === 'running'; i++) {
    await new Promise((r) => setTimeout(r, 100));
    job = (await c.get(`/api/v1/exports/${job.id}`)).body;
  }
  expect(job).toMatchObject({ status: 'done', progress: 1 });
  return { job, file: await c.bytes(`/api/v1/exports/${job.id}/file`) };
}

describe('DHR export', () => {
  it('seals the DHR of a released lot, in Chinese, as PDF/A-3b with the CoAs embedded and the ledger head printed', async () => {
    const wo = (await qa.get('/api/v1/workorders?state=closed')).body.find((w: { item: { partNumber: string } }) => w.item.partNumber === 'FG-IFS-20');
    const dhr = (await qa.get(`/api/v1/workorders/${wo.id}/dhr`)).body;
    const started = Date.now();
    const { file } = await exportPdf(qa, { kind: 'dhr', id: wo.id, locale: 'zh-CN' });
    console.log(`DHR export through HTTP: ${Date.now() - started} ms, ${file.body.length} bytes`);
    expect(file.type).toBe('application/pdf');
    const pdf = path.join(dir, 'dhr.pdf');
    writeFileSync(pdf, file.body);
    expect(run('pdfsig', [pdf]).stdout).toContain('Signature Validation: Signature is Valid.');
    expect(run('qpdf', ['--check', pdf]).status).toBe(0);
    const fonts = run('pdffonts', [pdf]).stdout.trim().split('\n').slice(2);
    expect(fonts.join('\n')).toMatch(/NotoSansSC/);
    for (const line of fonts) expect(line).toMatch(/\s+yes\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$/); // embedded
    const text = run('pdftotext', ['-layout', pdf, '-']).stdout;
    expect(text).toContain(wo.number);
    expect(text.replace(/\s/g, '')).toContain(dhr.ledger.headHash.slice(0, 16));
    // each CoA the DHR references is in the file, byte for byte: its SHA-256 is the lot's coaRef
    const refs = [...new Set((dhr.materials as Array<{ coaRef: string | null }>).map((m) => m.coaRef).filter((r) => r?.startsWith('sha256:')))];
    expect(refs.length).toBeGreaterThan(0);
    const listed = run('pdfdetach', ['-list', pdf]).stdout;
    expect(Number(/(\d+) embedded files/.exec(listed)?.[1])).toBeGreaterThanOrEqual(refs.length);
    const coa = path.join(dir, 'coa-1.pdf');
    expect(run('pdfdetach', ['-save', '1', '-o', coa, pdf]).status).toBe(0);
    expect(refs).toContain(`sha256:${createHash('sha256').update(readFileSync(coa)).digest('hex')}`);
    expect(run('pdftotext', [coa, '-']).stdout).toContain('Certificate of Analysis');
    expect(text).toContain('字体 Helvetica'); // the reference page says why its pages are not merged
    const report = await validatePdfA(pdf, '3b');
    expect(report.failures).toEqual([]);
    expect(report.compliant).toBe(true);
    const tampered = Buffer.from(file.body);
    const at = 1000; // inside the first signed range: any changed byte breaks the digest
    tampered[at] = tampered[at] ^ 0x01;
    writeFileSync(path.join(dir, 'tampered.pdf'), tampered);
    expect(run('pdfsig', [path.join(dir, 'tampered.pdf')]).stdout).not.toContain('Signature is Valid.');
  }, 240_000);

  it('puts the export on the ledger and refuses unknown records and other users’ jobs', async () => {
    const wo = (await op.get('/api/v1/workorders?state=closed')).body[0];
    const { job } = await exportPdf(op, { kind: 'dhr', id: wo.id, locale: 'en-US' });
    const events = await t.services.ledger.read(`export:${job.id}`);
    expect(events[0]).toMatchObject({ type: 'export.generated', data: { kind: 'dhr', recordStream: `workorder:${wo.id}` } });
    expect((await qa.get(`/api/v1/exports/${job.id}/file`)).status).toBe(404);
    expect((await op.post('/api/v1/exports', { kind: 'dhr', id: 'no-such-order' })).status).toBe(404);
  });
});
