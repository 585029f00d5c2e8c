import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, Client, as, type TestServer } from '../../../test/harness.ts';
import { isTrained } from '../training/trainingService.ts';
import { sniffType } from './upload.ts';
import { Ledger } from '../../ledger/ledger.ts';
import {
  act,
  cast,
  effectiveDocument,
  fileForm,
  minimalPdf,
  newDocumentBody,
  passRevision,
  sign,
  upload,
  type Cast,
} from './documents.factory.ts';

let srv: TestServer;
let k: Cast;
const ledgerCount = () => srv.services.ledger.count();

/** Runs `f` and asserts that it wrote nothing at all to the ledger. */
async function writesNothing<T>(f: () => Promise<T>): Promise<T> {
  const before = await ledgerCount();
  const r = await f();
  expect(await ledgerCount()).toBe(before);
  return r;
}

beforeAll(async () => {
  srv = await startTestServer({ seed: true });
  k = await cast(srv.url);
});
afterAll(async () => {
  await srv?.stop();
});

describe('the demo seed', () => {
  it('has about thirty documents in every state, with one overdue periodic review', async () => {
    const all = (await k.qa.get('/api/v1/documents?pageSize=200')).body;
    expect(all.total).toBeGreaterThanOrEqual(30);
    const states = new Set<string>();
    for (const item of all.items) {
      const d = (await k.qa.get(`/api/v1/documents/${item.id}`)).body;
      for (const r of d.revisions) states.add(r.state);
    }
    expect([...states].sort()).toEqual([
      'approval',
      'approved',
      'draft',
      'effective',
      'in_review',
      'obsolete',
      'superseded',
    ]);
    const tasks = (await k.author.get('/api/v1/tasks')).body;
    expect(tasks.filter((t: { kind: string }) => t.kind === 'periodic_review')).toHaveLength(1);
    expect((await k.qa.get('/api/v1/ledger/verify')).body.ok).toBe(true);
  });
});

describe('a document from draft to superseded', () => {
  let id = '';

  it('creates a numbered draft that offers upload but not submit', async () => {
    const r = await k.author.post('/api/v1/documents', newDocumentBody(k.ids));
    expect(r.status).toBe(201);
    id = r.body.id;
    expect(r.body.number).toMatch(/^SOP-QA-\d{4}$/);
    expect(r.body).toMatchObject({
      state: 'draft',
      current: 'A',
      effective: null,
      owner: { id: k.ids.author },
      stream: `document:${id}`,
    });
    expect(r.body.actions.map((a: { action: string }) => a.action)).toEqual(['upload']);
  });

  it('refuses to submit without a content file', async () => {
    const r = await writesNothing(() => act(k.author, id, 'submit'));
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('DOCUMENT_HAS_NO_CONTENT');
  });

  it('refuses files that are not PDF/DOCX/XLSX/PNG/JPEG by their bytes (415) and files over 20 MB (413)', async () => {
    const fake = await writesNothing(() =>
      k.author.request(
        'POST',
        `/api/v1/documents/${id}/content`,
        fileForm(Buffer.from('MZ not a pdf at all'), 'evil.pdf'),
      ),
    );
    expect(fake.status).toBe(415);
    expect(fake.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const big = Buffer.alloc(20 * 1024 * 1024 + 10, 0x20);
    big.write('%PDF-1.4');
    const tooBig = await writesNothing(() => upload(k.author, id, big));
    expect(tooBig.status).toBe(413);
    expect(await srv.services.db.collection('blobs').countDocuments({ size: { $gt: 20 * 1024 * 1024 } })).toBe(0);
  });

  it('stores the content by its SHA-256 and serves it back', async () => {
    const pdf = minimalPdf(['Cleaning validation procedure']);
    const r = await upload(k.author, id, pdf, '清洁验证.pdf');
    expect(r.status).toBe(200);
    expect(r.body.revisions[0].file).toMatchObject({ name: '清洁验证.pdf', size: pdf.length, mime: 'application/pdf' });
    const res = await fetch(`${srv.url}/api/v1/documents/${id}/revisions/A/content`, {
      headers: { cookie: k.reviewer.cookie },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await res.arrayBuffer()).equals(pdf)).toBe(true);
    expect(r.body.actions.map((a: { action: string }) => a.action)).toEqual(['upload', 'submit']);
  });

  it('refuses a stale version (409) and then submits', async () => {
    const d = (await k.author.get(`/api/v1/documents/${id}`)).body;
    const stale = await writesNothing(() =>
      k.author.post(`/api/v1/documents/${id}/actions/submit`, { version: d.version - 1 }),
    );
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('STALE_VERSION');
    const r = await act(k.author, id, 'submit');
    expect(r.status).toBe(200);
    expect(r.body.revisions[0].state).toBe('in_review');
  });

  it('shows the named reviewers a review task and the review/reject actions', async () => {
    const tasks = (await k.reviewer.get('/api/v1/tasks')).body;
    expect(tasks).toContainEqual(expect.objectContaining({ kind: 'review', documentId: id, revision: 'A' }));
    const d = (await k.reviewer.get(`/api/v1/documents/${id}`)).body;
    expect(d.actions).toEqual([
      {
        action: 'review',
        signature: 'reviewed',
        needsReason: false,
        needsDate: false,
        needsValues: false,
        scope: 'working',
      },
      {
        action: 'reject',
        signature: 'rejected',
        needsReason: true,
        needsDate: false,
        needsValues: false,
        scope: 'working',
      },
    ]);
    expect((await k.author.get(`/api/v1/documents/${id}`)).body.actions).toEqual([]);
  });

  it('refuses a reviewer who is not named, an approval during review, and the author reviewing', async () => {
    const notNamed = await writesNothing(() => act(k.supervisor, id, 'review', sign));
    expect([notNamed.status, notNamed.body.error.code]).toEqual([409, 'NOT_A_REVIEWER']);
    const early = await writesNothing(() => act(k.qa, id, 'approve', sign));
    expect([early.status, early.body.error.code]).toEqual([409, 'RECORD_NOT_IN_APPROVAL']);
    const own = await writesNothing(() => act(k.author, id, 'review', sign));
    expect([own.status, own.body.error.code]).toEqual([409, 'SIGNER_IS_AUTHOR']);
    const unknown = await writesNothing(() => act(k.reviewer, id, 'explode', sign));
    expect(unknown.status).toBe(400);
  });

  it('on a wrong password answers 401 and records only the failed attempt', async () => {
    const before = await ledgerCount();
    const version = (await k.reviewer.get(`/api/v1/documents/${id}`)).body.version;
    const r = await act(k.reviewer, id, 'review', { password: 'wrong-password-123' });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('INVALID_CREDENTIALS');
    expect(await ledgerCount()).toBe(before + 1);
    const [last] = await srv.services.ledger.events
      .find({ stream: `user:${k.ids.reviewer}` })
      .sort({ version: -1 })
      .limit(1)
      .toArray();
    expect(last).toMatchObject({ type: 'auth.signatureFailed', data: { stream: `document:${id}` } });
    expect((await k.reviewer.get(`/api/v1/documents/${id}`)).body.version).toBe(version);
  });

  it('moves to approval when both reviewers have signed "reviewed"', async () => {
    const first = await act(k.reviewer, id, 'review', sign);
    expect(first.status).toBe(200);
    expect(first.body.revisions[0]).toMatchObject({
      state: 'in_review',
      reviews: [expect.objectContaining({ userId: k.ids.reviewer, decision: 'reviewed' })],
    });
    expect(first.body.actions).toEqual([]);
    const second = await act(k.reviewer2, id, 'review', sign);
    expect(second.body.revisions[0].state).toBe('approval');
    const sigs = (await k.qa.get(`/api/v1/records/document:${id}/signatures`)).body;
    expect(sigs.map((x: { meaning: string; valid: boolean }) => [x.meaning, x.valid])).toEqual([
      ['reviewed', true],
      ['reviewed', true],
    ]);
    expect(sigs[0].contentHash).toBe(sigs[1].contentHash);
  });

  it('does not let the author approve their own revision (SIGNER_IS_AUTHOR)', async () => {
    const r = await writesNothing(() => act(k.author, id, 'approve', sign));
    expect([r.status, r.body.error.code]).toEqual([409, 'SIGNER_IS_AUTHOR']);
  });

  it('becomes effective at once on approval with no future date, and assigns training', async () => {
    const r = await act(k.qa, id, 'approve', sign);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ state: 'effective', effective: 'A' });
    const today = new Date().toISOString().slice(0, 10);
    expect(r.body.revisions[0].effectiveDate).toBe(today);
    expect(r.body.nextReviewDue > today).toBe(true);
    const training = (await k.qa.get(`/api/v1/documents/${id}/training`)).body;
    expect(training.map((t: { userId: string; status: string }) => [t.userId, t.status]).sort()).toEqual(
      [
        [k.ids.operator, 'open'],
        [k.ids.operator2, 'open'],
      ].sort(),
    );
  });

  it('lets a trainee complete training by signing "read and understood"', async () => {
    const task = (await k.operator.get('/api/v1/tasks')).body.find((t: { documentId: string }) => t.documentId === id);
    expect(task).toMatchObject({ kind: 'training', revision: 'A' });
    expect(await isTrained(srv.services, k.ids.operator, id)).toEqual({ trained: false, revision: 'A' });
    expect((await k.operator.bytes(`/api/v1/documents/${id}/revisions/A/content`)).status).toBe(200); // opened first
    const done = await k.operator.post(`/api/v1/training/${task.id}/complete`, sign);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'done', revision: 'A' });
    expect(await isTrained(srv.services, k.ids.operator, id)).toEqual({ trained: true, revision: 'A' });
    const row = (await k.qa.get(`/api/v1/documents/${id}/training`)).body.find(
      (t: { userId: string }) => t.userId === k.ids.operator,
    );
    expect(row.signatureId).toBe(done.body.signatureId);
  });

  it('is superseded by revision B once B becomes effective, and A stays readable', async () => {
    const started = await act(k.author, id, 'new_revision');
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ current: 'B', effective: 'A', state: 'effective' });
    expect(started.body.revisions[1]).toMatchObject({ revision: 'B', state: 'draft', iteration: 1, file: null });
    const again = await writesNothing(() => act(k.author, id, 'new_revision'));
    expect(again.status).toBe(409);
    await passRevision(k, id);
    const d = (await k.qa.get(`/api/v1/documents/${id}`)).body;
    expect(d).toMatchObject({ effective: 'B', current: 'B', state: 'effective' });
    expect(d.revisions.map((r: { state: string }) => r.state)).toEqual(['superseded', 'effective']);
    const a = await fetch(`${srv.url}/api/v1/documents/${id}/revisions/A/content`, {
      headers: { cookie: k.operator.cookie },
    });
    expect(a.status).toBe(200);
    expect(await isTrained(srv.services, k.ids.operator, id)).toEqual({ trained: false, revision: 'B' });
    const tasks = (await k.operator.get('/api/v1/tasks')).body.filter(
      (t: { documentId: string }) => t.documentId === id,
    );
    expect(tasks.map((t: { revision: string }) => t.revision)).toEqual(['B']);
  });
});

describe('rejection, obsoletion, future effective dates and periodic review', () => {
  it('sends a rejected revision back to draft as a new iteration (a reason is required)', async () => {
    const id = (await k.author.post('/api/v1/documents', newDocumentBody(k.ids, { reviewers: [k.ids.reviewer] }))).body
      .id;
    await upload(k.author, id);
    await act(k.author, id, 'submit');
    const noReason = await writesNothing(() => act(k.reviewer, id, 'reject', sign));
    expect(noReason.status).toBe(400);
    const r = await act(k.reviewer, id, 'reject', { ...sign, reason: 'Section 3 lacks acceptance criteria.' });
    expect(r.status).toBe(200);
    expect(r.body.revisions[0]).toMatchObject({ state: 'draft', iteration: 2 });
    expect(r.body.revisions[0].reviews[0]).toMatchObject({
      decision: 'rejected',
      reason: 'Section 3 lacks acceptance criteria.',
    });
    await act(k.author, id, 'submit');
    const d = (await k.reviewer.get(`/api/v1/documents/${id}`)).body;
    expect(d.actions.map((a: { action: string }) => a.action)).toContain('review');
  });

  it("obsoletes only with the QA manager's signature and a reason", async () => {
    const id = await effectiveDocument(k, { reviewers: [k.ids.reviewer], trainees: { roles: [], users: [] } });
    const byAuthor = await writesNothing(() => act(k.author, id, 'obsolete', { ...sign, reason: 'no longer needed' }));
    expect(byAuthor.status).toBe(403);
    const r = await act(k.qa, id, 'obsolete', { ...sign, reason: 'Process discontinued.' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ state: 'obsolete', effective: null });
    expect(r.body.revisions[0]).toMatchObject({ state: 'obsolete', obsoleteReason: 'Process discontinued.' });
    const list = (await k.qa.get(`/api/v1/documents?state=obsolete&q=${encodeURIComponent(r.body.number)}`)).body;
    expect(list.items.map((x: { id: string }) => x.id)).toEqual([id]);
  });

  it('waits for a future effective date, then the system makes it effective (checked on read)', async () => {
    const id = (
      await k.author.post(
        '/api/v1/documents',
        newDocumentBody(k.ids, { reviewers: [k.ids.reviewer], trainees: { roles: [], users: [] } }),
      )
    ).body.id;
    await upload(k.author, id);
    const past = await writesNothing(() => act(k.author, id, 'submit', { effectiveDate: '2020-01-01' }));
    expect(past.status).toBe(400);
    const future = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    await act(k.author, id, 'submit', { effectiveDate: future });
    await act(k.reviewer, id, 'review', sign);
    const approved = await act(k.qa, id, 'approve', sign);
    expect(approved.body).toMatchObject({ state: 'approved', effective: null });
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 4 * 86_400_000);
      const later = await as(srv.url, 'qa.engineer'); // sessions idle out across the jump
      const d = (await later.get(`/api/v1/documents/${id}`)).body;
      expect(d).toMatchObject({ state: 'effective', effective: 'A' });
      expect(d.revisions[0].effectiveDate).toBe(future);
    } finally {
      vi.useRealTimers();
    }
    const events = await srv.services.ledger.read(`document:${id}`);
    expect(events.find((e) => e.type === 'document.becameEffective')?.actor.id).toBe('system');
  });

  it('lets the owner sign an overdue periodic review, which resets the due date', async () => {
    const task = (await k.author.get('/api/v1/tasks')).body.find((t: { kind: string }) => t.kind === 'periodic_review');
    const d = (await k.author.get(`/api/v1/documents/${task.documentId}`)).body;
    expect(d.actions.map((a: { action: string }) => a.action).sort()).toEqual(['new_revision', 'periodic_review']);
    const r = await act(k.author, task.documentId, 'periodic_review', sign);
    expect(r.status).toBe(200);
    expect(r.body.nextReviewDue > new Date().toISOString().slice(0, 10)).toBe(true);
    expect(
      (await k.author.get('/api/v1/tasks')).body.filter((t: { kind: string }) => t.kind === 'periodic_review'),
    ).toEqual([]);
  });
});

describe('access and input', () => {
  it('requires a session (401)', async () => {
    const anon = new Client(srv.url);
    expect((await anon.get('/api/v1/documents')).status).toBe(401);
    expect((await writesNothing(() => anon.post('/api/v1/documents', newDocumentBody(k.ids)))).status).toBe(401);
    expect((await anon.get('/api/v1/tasks')).status).toBe(401);
  });

  it('forbids the wrong role (403) and writes nothing', async () => {
    const r = await writesNothing(() => k.operator.post('/api/v1/documents', newDocumentBody(k.ids)));
    expect([r.status, r.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const scheme = await writesNothing(() => k.author.put('/api/v1/numbering-schemes/sop', { pattern: 'X-{seq:4}' }));
    expect(scheme.status).toBe(403);
    const draft = (await k.author.post('/api/v1/documents', newDocumentBody(k.ids))).body;
    const foreign = await writesNothing(() => upload(k.operator, draft.id));
    expect(foreign.status).toBe(403);
    expect((await writesNothing(() => upload(new Client(srv.url), draft.id))).status).toBe(401);
  });

  it('refuses a periodic review that is not due yet', async () => {
    const { items } = (await k.qa.get('/api/v1/documents?state=effective&q=SPEC-QA')).body;
    const d = (await k.qa.get(`/api/v1/documents/${items[0].id}`)).body;
    expect(d.nextReviewDue > new Date().toISOString().slice(0, 10)).toBe(true);
    const r = await writesNothing(() => act(k.qa, d.id, 'periodic_review', sign));
    expect([r.status, r.body.error.code]).toEqual([409, 'PERIODIC_REVIEW_NOT_DUE']);
    expect(r.body.error.message).toBe('The periodic review is not due yet.');
    k.qa.locale = 'zh-CN';
    try {
      expect((await act(k.qa, d.id, 'periodic_review', sign)).body.error.message).toBe('定期评审尚未到期。');
    } finally {
      k.qa.locale = 'en-US';
    }
  });

  it('rejects bad input (400) and writes nothing', async () => {
    const bad = [
      newDocumentBody(k.ids, { title: { zh: '', en: 'x' } }),
      newDocumentBody(k.ids, { type: 'poem' }),
      newDocumentBody(k.ids, { reviewers: ['no-such-user'] }),
      newDocumentBody(k.ids, { approvers: [k.ids.author] }),
      newDocumentBody(k.ids, { department: 'Q A!' }),
      { ...newDocumentBody(k.ids), extra: 1 },
    ];
    for (const body of bad) {
      const r = await writesNothing(() => k.author.post('/api/v1/documents', body));
      expect([r.status, r.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    expect((await k.qa.get('/api/v1/documents?pageSize=1000')).status).toBe(400);
    expect((await k.qa.get('/api/v1/documents/nope')).status).toBe(404);
  });
});

describe('content files', () => {
  it('recognises PDF, PNG, JPEG, DOCX and XLSX by their bytes only', () => {
    const zip = (part: string) =>
      Buffer.concat([Buffer.from('PK\x03\x04', 'binary'), Buffer.alloc(26), Buffer.from(`[Content_Types].xml${part}`)]);
    expect(sniffType(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffType(zip('word/document.xml'))).toMatch(/wordprocessingml/);
    expect(sniffType(zip('xl/workbook.xml'))).toMatch(/spreadsheetml/);
    expect(sniffType(zip('mimetype'))).toBeNull(); // a zip that is no OOXML document
    expect(sniffType(Buffer.from('<html>'))).toBeNull();
  });

  it('stores a large file in chunks once, and serves it back intact', async () => {
    const id = (await k.author.post('/api/v1/documents', newDocumentBody(k.ids))).body.id;
    const png = Buffer.alloc(9 * 1024 * 1024 + 123, 7);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(png);
    const r = await k.author.request(
      'POST',
      `/api/v1/documents/${id}/content`,
      fileForm(png, 'drawing.png', 'image/png'),
    );
    expect(r.status).toBe(200);
    const { sha256, mime } = r.body.revisions[0].file;
    expect(mime).toBe('image/png');
    expect(await srv.services.db.collection('blobs').countDocuments({ sha256 })).toBe(3);
    const again = await k.author.request(
      'POST',
      `/api/v1/documents/${id}/content`,
      fileForm(png, 'same.png', 'image/png'),
    );
    expect(again.body.revisions[0].file.sha256).toBe(sha256);
    expect(await srv.services.db.collection('blobs').countDocuments({ sha256 })).toBe(3);
    const res = await fetch(`${srv.url}/api/v1/documents/${id}/revisions/A/content`, {
      headers: { cookie: k.qa.cookie },
    });
    expect(Buffer.from(await res.arrayBuffer()).equals(png)).toBe(true);
  });
});

describe('numbering', () => {
  it('never reuses a number under parallel creation', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        k.author.post('/api/v1/documents', newDocumentBody(k.ids, { type: 'form', department: 'LAB' })),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    const numbers = results.map((r) => r.body.number as string).sort();
    expect(numbers).toEqual(Array.from({ length: 10 }, (_, i) => `FRM-LAB-${String(i + 1).padStart(4, '0')}`));
  });

  it('skips a number another server allocated meanwhile (the ledger settles the race)', async () => {
    await k.author.post('/api/v1/documents', newDocumentBody(k.ids, { type: 'drawing', department: 'RD' })); // warms the head cache
    const otherServer = new Ledger(srv.services.db);
    const theirs = await otherServer.append('numbering:drawing', 'numbering.allocated', {
      number: 'by another server',
    });
    const r = await k.author.post('/api/v1/documents', newDocumentBody(k.ids, { type: 'drawing', department: 'RD' }));
    expect(r.status).toBe(201);
    expect(r.body.number).toBe(`DWG-${String(theirs.version + 1).padStart(5, '0')}`);
  });

  it('lists the schemes and changes a pattern through the ledger', async () => {
    const schemes = (await k.qa.get('/api/v1/numbering-schemes')).body;
    expect(schemes.find((x: { type: string }) => x.type === 'form')).toMatchObject({
      pattern: 'FRM-{dept}-{seq:4}',
      nextByDepartment: { LAB: 'FRM-LAB-0011' },
    });
    const noSeq = await writesNothing(() => k.qa.put('/api/v1/numbering-schemes/template', { pattern: 'TPL-{dept}' }));
    expect(noSeq.status).toBe(400);
    const r = await k.qa.put('/api/v1/numbering-schemes/template', { pattern: 'QT-{yyyy}-{seq:3}' });
    expect(r.status).toBe(200);
    expect(r.body.next).toBe(`QT-${new Date().getUTCFullYear()}-002`);
    const doc = await k.author.post('/api/v1/documents', newDocumentBody(k.ids, { type: 'template' }));
    expect(doc.body.number).toBe(`QT-${new Date().getUTCFullYear()}-002`);
  });
});

describe('listing and the lifecycle declaration', () => {
  it('filters by q, type, state, owner and department, with paging', async () => {
    const byQ = (await k.qa.get(`/api/v1/documents?q=${encodeURIComponent('输液器装配')}`)).body;
    expect(byQ.items.map((x: { title: { en: string } }) => x.title.en)).toEqual([
      'Infusion Set Assembly Work Instruction',
    ]);
    const byEn = (await k.qa.get('/api/v1/documents?q=infusion%20set%20ASSEMBLY')).body;
    expect(byEn.total).toBe(1);
    const wi = (await k.qa.get('/api/v1/documents?type=work_instruction&department=prod&state=effective')).body;
    expect(
      wi.items.every(
        (x: { type: string; department: string; state: string }) =>
          x.type === 'work_instruction' && x.department === 'PROD' && x.state === 'effective',
      ),
    ).toBe(true);
    const mine = (await k.qa.get(`/api/v1/documents?owner=${k.ids['prod.supervisor']}&pageSize=2&page=2`)).body;
    expect(mine.items).toHaveLength(2);
    expect(mine.total).toBeGreaterThan(4);
    expect(Object.keys(mine.items[0]).sort()).toEqual([
      'department',
      'effectiveDate',
      'id',
      'nextReviewDue',
      'number',
      'owner',
      'revision',
      'state',
      'title',
      'type',
    ]);
  });

  it('serves the lifecycle declaration for the client', async () => {
    const l = (await k.operator.get('/api/v1/lifecycles/document')).body;
    expect(l.states).toEqual(['draft', 'in_review', 'approval', 'approved', 'effective', 'superseded', 'obsolete']);
    expect(l.transitions.find((t: { name: string }) => t.name === 'approve')).toMatchObject({
      from: ['approval'],
      signature: { meaning: 'approved', notAuthor: true },
    });
  });
});
