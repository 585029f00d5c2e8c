import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { as, Client, startTestServer, type TestServer } from '../../test/harness.ts';
import { cast, effectiveDocument, minimalPdf } from '../modules/documents/documents.factory.ts';
import { archivalObstacles } from '../pdf/archivalCheck.ts';
import { validatePdfA } from '../../test/verapdf.ts';

// Exports through HTTP on the real engine over the seeded demo company: a controlled copy of an
// effective document (its content file merged as pages, or embedded when it cannot be archived)
// and a record's audit trail, each sealed, checked by pdfsig/qpdf, validated as PDF/A by veraPDF,
// and put on the ledger with its SHA-256; refusals leave nothing behind.
let t: TestServer, qa: Client, op: Client, auditor: Client;
let dir: string, doc: { id: string; number: string; revision: string };

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  [qa, op, auditor] = await Promise.all(['qa.manager', 'operator', 'auditor'].map((u) => as(t.url, u)));
  const list = (await qa.get('/api/v1/documents?pageSize=200')).body.items as Array<{
    id: string;
    number: string;
    state: string;
    revision: string;
  }>;
  const eff = list.find((d) => d.state === 'effective');
  if (!eff) throw new Error('the seed has no effective document');
  doc = eff;
  dir = mkdtempSync(path.join(tmpdir(), 'provenant-exports-'));
});
afterAll(async () => {
  await t?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function waitDone(c: Client, jobId: string) {
  for (let i = 0; i < 200; i++) {
    const r = await c.get(`/api/v1/exports/${jobId}`);
    expect(r.status).toBe(200);
    if (r.body.status !== 'running') return r.body;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('export did not finish');
}

const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' });

async function exportAndCheck(c: Client, body: Record<string, unknown>, pdfa: '2b' | '3b') {
  const start = await c.post('/api/v1/exports', body);
  expect(start.status, JSON.stringify(start.body)).toBe(202);
  expect(start.body).toMatchObject({ kind: body.kind, recordId: body.id, status: 'running' });
  const job = await waitDone(c, start.body.id);
  expect(job, JSON.stringify(job)).toMatchObject({ status: 'done', progress: 1 });
  const file = await c.bytes(`/api/v1/exports/${job.id}/file`);
  expect(file.status).toBe(200);
  expect(file.type).toBe('application/pdf');
  const p = path.join(dir, `${job.id}.pdf`);
  writeFileSync(p, file.body);
  expect(run('pdfsig', [p]).stdout).toContain('Signature is Valid');
  expect(run('qpdf', ['--check', p]).status).toBe(0);
  const report = await validatePdfA(p, pdfa);
  expect(report.failures).toEqual([]);
  expect(report.compliant).toBe(true);
  // the file's SHA-256 is on the ledger, with the record version and head it was made from
  const ledger = await qa.get(`/api/v1/records/${encodeURIComponent(`export:${job.id}`)}/ledger`);
  expect(ledger.status).toBe(200);
  const e = ledger.body.events[0];
  expect(e.type).toBe('export.generated');
  expect(e.data.sha256).toBe(createHash('sha256').update(file.body).digest('hex'));
  // the job runs after the 202, still as the requester (the request's actor)
  const me = (await c.get('/api/v1/auth/me')).body.user;
  const [stored] = await t.services.ledger.read(`export:${job.id}`);
  expect(stored.actor).toMatchObject({ id: me.id, name: me.fullName });
  return { job, path: p, event: e, text: run('pdftotext', [p, '-']).stdout };
}

describe('exports', () => {
  it('makes a controlled copy of an effective document: cover sheet with approvals, then its content file merged as pages', async () => {
    // the seeded content files embed their font (seed/textPdf.ts): their pages are merged, the copy is PDF/A-2b
    const { event, text, path: p } = await exportAndCheck(qa, { kind: 'document', id: doc.id, locale: 'en-US' }, '2b');
    expect(event.data).toMatchObject({
      kind: 'document',
      recordStream: `document:${doc.id}`,
      pages: expect.any(Number),
    });
    expect(text).toContain('CONTROLLED COPY');
    expect(text).toContain(doc.number);
    expect(text).toMatch(/— Approved — \d{4}-\d\d-\d\d/); // 11.50 manifestation
    expect(text.replace(/\s+/g, ' ')).toMatch(/\d page\(s\), appended/); // in the list of attachments
    expect(text).not.toContain('is not embedded');
    expect(text).toContain(`${doc.number} Rev. ${doc.revision} · Page 1 of`); // the content file's own footer, on a merged page
    expect(text).toContain('Prepared by:'); // the content file's own header
    expect(run('pdfdetach', ['-list', p]).stdout).toMatch(/^0 embedded files/);
    const pages = Number(/Pages:\s+(\d+)/.exec(run('pdfinfo', [p]).stdout)?.[1]);
    expect(event.data.pages).toBe(pages);
    expect(text).toContain(`Page ${pages} of ${pages}`);
  }, 240_000);

  it('embeds a content file whose pages cannot be archived (font not embedded) byte for byte behind a reference page, as PDF/A-3b', async () => {
    const k = await cast(t.url);
    const helvetica = minimalPdf(['Test procedure']); // what passRevision uploads: Helvetica, not embedded
    expect(archivalObstacles(await PDFDocument.load(helvetica))).toEqual([{ code: 'font', detail: 'Helvetica' }]);
    const id = await effectiveDocument(k);
    const d = (await qa.get(`/api/v1/documents/${id}`)).body;
    const { text, path: p } = await exportAndCheck(qa, { kind: 'document', id, locale: 'en-US' }, '3b');
    expect(text.replace(/\s+/g, ' ')).toContain('Embedded file, with a reference page'); // in the list of attachments
    expect(text).toContain('font Helvetica is not embedded'); // the reference page says why
    const content = path.join(dir, `${id}-content.pdf`);
    expect(run('pdfdetach', ['-save', '1', '-o', content, p]).status).toBe(0); // the revision's own file, as approved
    expect(readFileSync(content).equals(helvetica)).toBe(true);
    expect(run('pdftotext', [content, '-']).stdout).toContain('Test procedure');
    expect(text.replace(/\s/g, '')).toContain(createHash('sha256').update(helvetica).digest('hex'));
    expect(text).toContain(d.number);
  }, 240_000);

  it("exports a record's audit trail in Chinese with the chain check", async () => {
    const stream = `document:${doc.id}`;
    const { text, event } = await exportAndCheck(qa, { kind: 'audit-trail', id: stream, locale: 'zh-CN' }, '2b');
    expect(text).toContain('审计追踪');
    expect(text).toContain('完整');
    expect(text).toContain('document.created');
    expect(event.data.recordStream).toBe(stream);
  }, 240_000);

  it('requires a signed-in user', async () => {
    const anon = new Client(t.url);
    expect((await anon.post('/api/v1/exports', { kind: 'document', id: doc.id })).status).toBe(401);
    expect((await anon.get('/api/v1/exports/00000000-0000-4000-8000-000000000000')).status).toBe(401);
  });

  it('refuses a bad kind, a missing record, a malformed stream, and a role without read', async () => {
    const before = await t.services.ledger.count();
    expect((await qa.post('/api/v1/exports', { kind: 'nonsense', id: doc.id })).body.error.code).toBe(
      'UNKNOWN_EXPORT_KIND',
    );
    expect((await qa.post('/api/v1/exports', { kind: 'document', id: 'no-such-document' })).status).toBe(404);
    expect((await qa.post('/api/v1/exports', { kind: 'audit-trail', id: 'not a stream' })).status).toBe(400);
    expect((await qa.post('/api/v1/exports', { kind: 'audit-trail', id: 'lot:does-not-exist' })).status).toBe(404);
    expect((await qa.post('/api/v1/exports', { kind: 'document', id: doc.id, extra: 1 })).status).toBe(400);
    expect((await qa.post('/api/v1/exports', { kind: 'document', id: doc.id, revision: 'Z' })).status).toBe(404);
    expect((await qa.post('/api/v1/exports', { kind: 'document', id: doc.id, revision: 'b; rm' })).status).toBe(400);
    expect((await auditor.post('/api/v1/exports', { kind: 'document', id: doc.id })).status).toBe(403);
    expect((await auditor.post('/api/v1/exports', { kind: 'audit-trail', id: `document:${doc.id}` })).status).toBe(403);
    expect(await t.services.ledger.count()).toBe(before); // nothing appended by a refusal
  });

  it('shows a job and its file only to the user who started it', async () => {
    const start = await qa.post('/api/v1/exports', { kind: 'audit-trail', id: `document:${doc.id}` });
    expect(start.status).toBe(202);
    await waitDone(qa, start.body.id);
    expect((await op.get(`/api/v1/exports/${start.body.id}`)).status).toBe(404);
    expect((await op.bytes(`/api/v1/exports/${start.body.id}/file`)).status).toBe(404);
    expect((await qa.get('/api/v1/exports/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await qa.get('/api/v1/exports/not-a-uuid')).status).toBe(400);
  });
});
