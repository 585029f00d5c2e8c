import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, Client, startTestServer, type TestServer } from '../../../test/harness.ts';
import { validatePdfA } from '../../../test/verapdf.ts';

// The DHR of the seeded released infusion-set lot as a sealed PDF, checked by the tools an
// auditor would use: pdfsig (signature), qpdf (structure), pdffonts (every font embedded),
// pdftotext (the ledger head hash, the certificates of analysis and their SHA-256) and veraPDF
// (PDF/A-2b: the seeded suppliers' CoAs embed their font, so their pages are merged). A CoA that
// cannot be merged is embedded as a file behind a reference page: pdf.test.ts proves that path on
// the DHR renderer, exports.test.ts through HTTP (same attachments.ts).
let t: TestServer;
let qa: Client, op: Client;
const dir = mkdtempSync(path.join(tmpdir(), 'dhr-'));
const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' });

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  [qa, op] = await Promise.all(['qa.manager', 'operator'].map((u) => as(t.url, u)));
});
afterAll(async () => {
  await t?.stop();
});

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
  it('seals the DHR of a released lot, in Chinese, as PDF/A-2b with the CoAs merged as pages and the ledger head printed', async () => {
    const wo = (await qa.get('/api/v1/workorders?state=closed')).body.find(
      (w: { item: { partNumber: string } }) => w.item.partNumber === 'FG-IFS-20',
    );
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
    // each CoA the DHR references is merged as its own pages, listed with the SHA-256 of the stored file (the lot's coaRef)
    const refs = [
      ...new Set(
        (dhr.materials as Array<{ coaRef: string | null }>)
          .map((m) => m.coaRef)
          .filter((r) => r?.startsWith('sha256:')),
      ),
    ];
    expect(refs.length).toBeGreaterThan(0);
    expect(run('pdfdetach', ['-list', pdf]).stdout).toMatch(/^0 embedded files/);
    expect(text.match(/质量检验报告 Certificate of Analysis/g)?.length).toBe(refs.length);
    const flat = run('pdftotext', [pdf, '-']).stdout.replace(/\s/g, '');
    for (const ref of refs) expect(flat).toContain(ref!.slice('sha256:'.length));
    expect(text.match(/附于文末,共 1 页/g)?.length).toBe(refs.length);
    expect(text).not.toContain('嵌入文件,附说明页');
    const report = await validatePdfA(pdf, '2b');
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
    expect(events[0]).toMatchObject({
      type: 'export.generated',
      data: { kind: 'dhr', recordStream: `workorder:${wo.id}` },
    });
    expect((await qa.get(`/api/v1/exports/${job.id}/file`)).status).toBe(404);
    expect((await op.post('/api/v1/exports', { kind: 'dhr', id: 'no-such-order' })).status).toBe(404);
  });
});
