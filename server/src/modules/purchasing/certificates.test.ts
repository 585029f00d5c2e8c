import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { as, Client, startTestServer, type TestServer } from '../../../test/harness.ts';

// Certificates of analysis uploaded at receipt: PDF only, on the ledger, served back by reference.
let t: TestServer;
let wh: Client, op: Client;
const form = (bytes: Uint8Array, name: string) => {
  const f = new FormData();
  f.append('file', new Blob([Buffer.from(bytes)]), name);
  return f;
};

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  [wh, op] = await Promise.all(['warehouse', 'operator'].map((u) => as(t.url, u)));
});
afterAll(async () => {
  await t?.stop();
});

describe('certificates of analysis', () => {
  it('takes a PDF from the warehouse, records it on the ledger and serves it back', async () => {
    const doc = await PDFDocument.create();
    doc.addPage();
    const pdf = await doc.save();
    expect((await new Client(t.url).request('POST', '/api/v1/certificates', form(pdf, 'coa.pdf'))).status).toBe(401);
    expect((await op.request('POST', '/api/v1/certificates', form(pdf, 'coa.pdf'))).status).toBe(403);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    expect((await wh.request('POST', '/api/v1/certificates', form(png, 'coa.pdf'))).status).toBe(415);
    const up = await wh.request('POST', '/api/v1/certificates', form(pdf, 'COA-HS-001.pdf'));
    expect(up.status).toBe(201);
    expect(up.body.ref).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await t.services.ledger.read(`certificate:${up.body.sha256}`))[0]).toMatchObject({
      type: 'certificate.uploaded',
      data: { name: 'COA-HS-001.pdf' },
    });
    expect((await wh.request('POST', '/api/v1/certificates', form(pdf, 'again.pdf'))).status).toBe(201); // same file: same reference, one event
    expect(await t.services.ledger.read(`certificate:${up.body.sha256}`)).toHaveLength(1);
    const back = await op.bytes(`/api/v1/certificates/${up.body.sha256}`);
    expect(back.type).toBe('application/pdf');
    expect(Buffer.compare(back.body, Buffer.from(pdf))).toBe(0);
    expect((await op.get(`/api/v1/certificates/${'0'.repeat(64)}`)).status).toBe(404);
    expect((await op.get('/api/v1/certificates/not-a-hash')).status).toBe(400);
  });
});
