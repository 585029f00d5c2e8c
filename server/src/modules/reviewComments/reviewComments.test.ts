import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import ExcelJS from 'exceljs';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { startTestServer, type TestServer } from '../../../test/harness.ts';
import { createUser } from '../../identity/userService.ts';
import { requestContext, SYSTEM_ACTOR } from '../../platform/context.ts';
import { DEMO_USERS } from '../../../../seed/demo-users.ts';
import { act, cast, minimalPdf, newDocumentBody, sign, upload, type Cast } from '../documents/documents.factory.ts';
import { diffSentences } from './compare.ts';

// Review as people review (issue 15 item 5): threaded comments on the revision under review,
// unresolved threads hold the approval (ISO 13485:2016 4.2.4 a: review for adequacy before issue)
// unless the approver overrides with a reason on the ledger; who has and has not signed; and two
// revisions compared sentence by sentence (4.2.4 e: changes identified).
let srv: TestServer;
let k: Cast;
const newDoc = async () => (await k.author.post('/api/v1/documents', newDocumentBody(k.ids))).body.id as string;
const post = (c: Cast['author'], id: string, body: unknown) => c.post(`/api/v1/documents/${id}/comments`, body);
const doc = async (id: string, c = k.qa) => (await c.get(`/api/v1/documents/${id}`)).body;
const ok = (r: { status: number; body: any }) => {
  expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
  return r;
};
async function toApproval(id: string, bytes?: Buffer, name?: string) {
  ok(await upload(k.author, id, bytes, name));
  ok(await act(k.author, id, 'submit'));
  for (const c of [k.reviewer, k.reviewer2]) ok(await act(c, id, 'review', sign));
}

beforeAll(async () => {
  srv = await startTestServer({ seed: false });
  await requestContext.run({ requestId: 'test', locale: 'en-US', actor: SYSTEM_ACTOR }, async () => {
    for (const u of DEMO_USERS) await createUser(srv.services, { ...u, password: sign.password, temporary: false });
  });
  k = await cast(srv.url);
}, 120_000);
afterAll(async () => {
  await srv?.stop();
});

describe('review comments', () => {
  it('threads replies on the same revision, and shows them only to the people of the review', async () => {
    const id = await newDoc();
    ok(await upload(k.author, id));
    ok(await act(k.author, id, 'submit'));
    const root = ok(await post(k.reviewer, id, { revision: 'A', text: 'Which detergent?' })).body;
    const reply = ok(await post(k.author, id, { revision: 'A', parentId: root.id, text: 'Alconox 1 %.' })).body;
    expect(reply).toMatchObject({ parentId: root.id, threadId: root.id, actions: [] }); // a reply follows its thread
    const other = await newDoc();
    ok(await upload(k.author, other));
    ok(await act(k.author, other, 'submit'));
    const r = await post(k.reviewer, other, { revision: 'A', parentId: root.id, text: 'x' });
    expect([r.status, r.body.error.code]).toEqual([409, 'PARENT_NOT_ON_REVISION']);
    const list = ok(await k.qa.get(`/api/v1/documents/${id}/comments`)).body; // the approver sees the review
    expect(list.map((c: { text: string }) => c.text)).toEqual(['Which detergent?', 'Alconox 1 %.']);
    expect((await k.operator.get(`/api/v1/documents/${id}/comments`)).status).toBe(403);
    expect((await k.operator.get(`/api/v1/review-comments/${reply.id}`)).status).toBe(404);
    const res = await k.author.post(`/api/v1/review-comments/${reply.id}/resolve`, {});
    expect([res.status, res.body.error.code]).toEqual([409, 'REPLY_FOLLOWS_THREAD']);
  });

  it('holds the approval while a thread is open, with the reason on the action; resolved, it approves', async () => {
    const id = await newDoc();
    ok(await upload(k.author, id));
    ok(await act(k.author, id, 'submit'));
    const c = ok(await post(k.reviewer2, id, { revision: 'A', text: 'Rinse time missing.' })).body;
    for (const x of [k.reviewer, k.reviewer2]) ok(await act(x, id, 'review', sign));
    const approve = (await doc(id)).actions.find((a: { action: string }) => a.action === 'approve');
    expect(approve.blockedBy).toMatchObject({
      code: 'COMMENTS_UNRESOLVED',
      en: expect.stringContaining('1 review comment is unresolved'),
    });
    expect(approve.blockedBy.zh).toContain('1 条评审意见尚未解决');
    const refused = await act(k.qa, id, 'approve', sign);
    expect([refused.status, refused.body.error.code]).toEqual([409, 'COMMENTS_UNRESOLVED']);
    ok(await k.author.post(`/api/v1/review-comments/${c.id}/resolve`, { note: 'Added: 5 minutes.' })); // the revision's author may resolve
    expect((await doc(id)).actions.find((a: { action: string }) => a.action === 'approve').blockedBy).toBeUndefined();
    ok(await act(k.qa, id, 'approve', sign));
    expect((await doc(id)).state).toBe('effective');
    const closed = await k.reviewer2.post(`/api/v1/review-comments/${c.id}/reopen`, {});
    expect([closed.status, closed.body.error.code]).toEqual([409, 'REVISION_CLOSED']);
  });

  it('approves over open threads only with a reason, which the approval signature binds on the ledger', async () => {
    const id = await newDoc();
    ok(await upload(k.author, id));
    ok(await act(k.author, id, 'submit'));
    const a = ok(await post(k.reviewer, id, { revision: 'A', text: 'Typo in 3.2.' })).body;
    const b = ok(await post(k.reviewer2, id, { revision: 'A', text: 'Figure 2 is blurred.' })).body;
    for (const x of [k.reviewer, k.reviewer2]) ok(await act(x, id, 'review', sign));
    expect((await doc(id)).actions[0].blockedBy.en).toContain('2 review comments are unresolved');
    const reason = 'Editorial only; corrected in revision B under CR-7.';
    ok(await act(k.qa, id, 'approve', { ...sign, overrideComments: reason }));
    expect((await doc(id)).state).toBe('effective');
    const events = await srv.services.ledger.read(`document:${id}`);
    const i = events.findIndex((e) => e.type === 'document.commentsOverridden');
    expect(events[i]!.data).toEqual({ revision: 'A', iteration: 1, comments: [a.id, b.id].sort(), reason });
    expect(events[i]!.actor.id).toBe(k.ids['qa.manager']);
    expect(events[i + 1]).toMatchObject({ type: 'signature.applied', data: { meaning: 'approved' } }); // the signature right after it
  });

  it('shows who has and has not reviewed or approved the working revision', async () => {
    const id = await newDoc();
    ok(await upload(k.author, id));
    ok(await act(k.author, id, 'submit'));
    const pending = (await doc(id)).signoff;
    expect(pending).toMatchObject({ revision: 'A', iteration: 1 });
    expect(pending.reviewers.map((p: any) => [p.id, p.done])).toEqual([
      [k.ids.reviewer, false],
      [k.ids.reviewer2, false],
    ]);
    ok(await act(k.reviewer, id, 'review', sign));
    const one = (await doc(id)).signoff;
    expect(one.reviewers.map((p: any) => [p.id, p.done, p.decision])).toEqual([
      [k.ids.reviewer, true, 'reviewed'],
      [k.ids.reviewer2, false, null],
    ]);
    expect(one.approvers).toEqual([
      { id: k.ids['qa.manager'], name: expect.any(String), done: false, decision: null, at: null },
    ]);
    ok(await act(k.reviewer2, id, 'review', sign));
    ok(await act(k.qa, id, 'approve', sign));
    expect((await doc(id)).signoff.approvers[0]).toMatchObject({ done: true, decision: 'approved' });
  });
});

describe('compare revisions', () => {
  const changedOnly = (parts: Array<{ kind: string; sentences: string[] }>) =>
    parts.filter((p) => p.kind !== 'same').map((p) => [p.kind, p.sentences]);

  async function twoRevisions(a: Buffer, b: Buffer, name: string) {
    const id = await newDoc();
    await toApproval(id, a, name);
    ok(await act(k.qa, id, 'approve', sign));
    ok(await act(k.author, id, 'new_revision'));
    ok(await upload(k.author, id, b, name));
    return id;
  }

  it('marks the one changed sentence of a PDF, and nothing else', async () => {
    const id = await twoRevisions(
      minimalPdf(['Cleaning', 'Wear gloves. Rinse for 5 minutes. Dry the part.', 'Record the lot.']),
      minimalPdf(['Cleaning', 'Wear gloves. Rinse for 10 minutes. Dry the part.', 'Record the lot.']),
      'p.pdf',
    );
    const r = ok(await k.reviewer.get(`/api/v1/documents/${id}/compare?from=A&to=B`)).body;
    expect(changedOnly(r.parts)).toEqual([
      ['removed', ['Rinse for 5 minutes.']],
      ['added', ['Rinse for 10 minutes.']],
    ]);
    expect([r.added, r.removed, r.granularity]).toEqual([1, 1, 'sentence']);
  });

  it('reads compressed PDFs drawn by pdf-lib, DOCX paragraphs and XLSX cells as text', async () => {
    const pdf = async (line: string) => {
      const p = await PDFDocument.create();
      const font = await p.embedFont(StandardFonts.Helvetica);
      p.addPage().drawText(`Scope. ${line} Responsibilities.`, { x: 50, y: 700, size: 11, font });
      return Buffer.from(await p.save());
    };
    let id = await twoRevisions(await pdf('Applies to line 1.'), await pdf('Applies to lines 1 and 2.'), 'q.pdf');
    expect(changedOnly(ok(await k.qa.get(`/api/v1/documents/${id}/compare?from=A&to=B`)).body.parts)).toEqual([
      ['removed', ['Applies to line 1.']],
      ['added', ['Applies to lines 1 and 2.']],
    ]);

    const docx = async (text: string) => {
      const z = new JSZip();
      z.file('[Content_Types].xml', '<Types/>');
      z.file(
        'word/document.xml',
        `<w:document><w:body><w:p><w:r><w:t>Purpose.</w:t></w:r></w:p><w:p><w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p></w:body></w:document>`,
      );
      return z.generateAsync({ type: 'nodebuffer' });
    };
    id = await twoRevisions(
      await docx('Keep &amp; dry. Store at 25 °C.'),
      await docx('Keep &amp; dry. Store at 30 °C.'),
      'w.docx',
    );
    expect(changedOnly(ok(await k.qa.get(`/api/v1/documents/${id}/compare?from=A&to=B`)).body.parts)).toEqual([
      ['removed', ['Store at 25 °C.']],
      ['added', ['Store at 30 °C.']],
    ]);

    const xlsx = async (v: number) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('Limits');
      ws.addRow(['pH', 7]);
      ws.addRow(['Conductivity', v]);
      return Buffer.from(await wb.xlsx.writeBuffer());
    };
    id = await twoRevisions(await xlsx(1.3), await xlsx(1.1), 's.xlsx');
    expect(changedOnly(ok(await k.qa.get(`/api/v1/documents/${id}/compare?from=A&to=B`)).body.parts)).toEqual([
      ['removed', ['A2: Conductivity | B2: 1.3']],
      ['added', ['A2: Conductivity | B2: 1.1']],
    ]);
    const bad = await k.qa.get(`/api/v1/documents/${id}/compare?from=A&to=${encodeURIComponent('{"$ne":null}')}`);
    expect(bad.status).toBe(400);
    expect((await k.qa.get(`/api/v1/documents/${id}/compare?from=A&to=Z`)).status).toBe(404);
  });

  it('splits Chinese sentences at 。 too', () => {
    expect(changedOnly(diffSentences('佩戴手套。冲洗5分钟。', '佩戴手套。冲洗10分钟。'))).toEqual([
      ['removed', ['冲洗5分钟。']],
      ['added', ['冲洗10分钟。']],
    ]);
  });
});
