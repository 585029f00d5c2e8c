import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import { expectNothingWritten, markLedger } from '../../../test/refusals.ts';
import { exportedPdfText, flat } from '../../../test/pdfExport.ts';
import { createUser } from '../../identity/userService.ts';
import { requestContext, SYSTEM_ACTOR } from '../../platform/context.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import { DEMO_USERS } from '../../../../seed/demo-users.ts';
import { act, cast, newDocumentBody, sign, upload, type Cast } from '../documents/documents.factory.ts';

// Delegation (issue 15 item 6) on the one command path: created with every rule judged before the
// one append, revoked by its principal (or an administrator); a delegate signs the principal's
// task "on behalf of" them, judged for BOTH people (ISO 13485:2016 4.2.5 / 21 CFR 820.40(a):
// approval by designated individuals; 21 CFR 11.50: the manifestation names who signed); every
// refusal writes nothing at all.
let srv: TestServer;
let k: Cast;
let writer: Client; // holds document_author and reviewer: the delegate who may also author
let writerId = '';
let dir = '';
const today = todayUtc();
const period = (fromIn: number, toIn: number) => ({ from: addDays(today, fromIn), to: addDays(today, toIn) });
const body = (over: Record<string, unknown> = {}) => ({
  delegateId: k.ids.reviewer2,
  ...period(0, 14),
  roles: ['reviewer'],
  reason: 'Annual leave',
  ...over,
});
const refused = async (f: () => Promise<{ status: number; body: any }>, status: number, code: string) => {
  const mark = await markLedger(srv.services);
  const r = await f();
  expect([r.status, r.body?.error?.code], JSON.stringify(r.body)).toEqual([status, code]);
  await expectNothingWritten(srv.services, mark);
  return r;
};
/** A document by `author` with `reviewers`, uploaded and submitted for review; returns its id and version. */
async function inReview(author: Client, reviewers: string[]) {
  const c = await author.post('/api/v1/documents', newDocumentBody(k.ids, { reviewers }));
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  expect((await upload(author, c.body.id)).status).toBeLessThan(300);
  expect((await act(author, c.body.id, 'submit')).status).toBe(200);
  return { id: c.body.id as string, version: (await author.get(`/api/v1/documents/${c.body.id}`)).body.version };
}
const signFor = (c: Client, doc: { id: string; version: number }, onBehalfOf: string) =>
  c.post(`/api/v1/records/document:${doc.id}/signatures`, {
    meaning: 'reviewed',
    version: doc.version,
    onBehalfOf,
    ...sign,
  });
let mine = { id: '', version: 0 };

beforeAll(async () => {
  srv = await startTestServer({ seed: false });
  dir = mkdtempSync(path.join(tmpdir(), 'provenant-delegation-'));
  await requestContext.run({ requestId: 'test', locale: 'en-US', actor: SYSTEM_ACTOR }, async () => {
    for (const u of DEMO_USERS) await createUser(srv.services, { ...u, password: sign.password, temporary: false });
    await createUser(srv.services, {
      ...DEMO_USERS.find((u) => u.username === 'author')!,
      username: 'writer',
      fullName: 'Wendy Writer',
      email: 'writer@example.com',
      roles: ['document_author', 'reviewer'],
      password: sign.password,
      temporary: false,
    });
  });
  k = await cast(srv.url);
  writer = await as(srv.url, 'writer');
  writerId = k.ids.writer!;
});
afterAll(async () => {
  await srv?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('delegation commands', () => {
  it('refuses delegating to oneself, writing nothing', async () => {
    await refused(
      () => k.reviewer.post('/api/v1/delegations', body({ delegateId: k.ids.reviewer })),
      422,
      'SELF_DELEGATION',
    );
  });

  it('refuses a delegate lacking the role the tasks need, and a role the principal does not hold', async () => {
    await refused(
      () => k.reviewer.post('/api/v1/delegations', body({ delegateId: k.ids.operator })),
      422,
      'DELEGATE_LACKS_ROLE',
    );
    await refused(
      () => k.reviewer.post('/api/v1/delegations', body({ roles: ['qa_engineer'] })),
      422,
      'DELEGATE_LACKS_ROLE',
    );
    await refused(() => k.reviewer.post('/api/v1/delegations', body({ delegateId: 'nobody' })), 404, 'NOT_FOUND');
  });

  it('refuses malformed, unbounded, oversized and injected periods (400, nothing written)', async () => {
    for (const over of [
      period(-1, 5), // starts in the past
      period(3, 3), // to not after from
      period(5, 2),
      period(0, 91), // more than 90 days
      { from: '2026-13-01' },
      { delegateId: { $ne: null } },
      { from: { $ne: null } },
      { roles: [] },
      { roles: ['wizard'] },
      { reason: 'x'.repeat(501) },
      { extra: 1 },
    ]) {
      const mark = await markLedger(srv.services);
      const r = await k.reviewer.post('/api/v1/delegations', body(over));
      expect(r.status, JSON.stringify(over)).toBe(400);
      await expectNothingWritten(srv.services, mark);
    }
  });

  it('creates a delegation for [from, to]; the ledger records principal, delegate and period', async () => {
    const r = await k.reviewer.post('/api/v1/delegations', body());
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({
      principal: { id: k.ids.reviewer },
      delegate: { id: k.ids.reviewer2 },
      ...period(0, 14),
      roles: ['reviewer'],
      status: 'active',
      actions: [expect.objectContaining({ action: 'revoke' })],
    });
    mine = { id: r.body.id, version: r.body.version };
    const events = await srv.services.ledger.read(`delegation:${mine.id}`);
    expect(events.map((e) => e.type)).toEqual(['delegation.created']);
    expect((await k.reviewer2.get(`/api/v1/delegations/${mine.id}`)).body.actions).toEqual([]); // the delegate may not revoke
    expect((await k.operator.get(`/api/v1/delegations/${mine.id}`)).status).toBe(404);
    expect((await k.reviewer2.get('/api/v1/delegations')).body.map((d: { id: string }) => d.id)).toContain(mine.id);
  });

  it('refuses an overlapping delegation of the same principal', async () => {
    await refused(() => k.reviewer.post('/api/v1/delegations', body(period(10, 20))), 409, 'DELEGATION_OVERLAPS');
  });

  it('refuses a chain: the delegate, away themselves, cannot hand tasks back or on', async () => {
    await refused(
      () => k.reviewer2.post('/api/v1/delegations', body({ delegateId: k.ids.reviewer, ...period(5, 9) })),
      409,
      'DELEGATION_CHAIN',
    );
  });

  it('refuses revocation by the delegate, and a stale version, writing nothing', async () => {
    await refused(() => k.reviewer2.post(`/api/v1/delegations/${mine.id}/revoke`, {}), 403, 'NOT_YOUR_DELEGATION');
    await refused(
      () => k.reviewer.post(`/api/v1/delegations/${mine.id}/revoke`, { version: mine.version + 1 }),
      409,
      'STALE_VERSION',
    );
  });

  it('revokes for its principal, once; the period is free again', async () => {
    const r = await k.reviewer.post(`/api/v1/delegations/${mine.id}/revoke`, { version: mine.version });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ status: 'revoked', revoked: { by: { id: k.ids.reviewer } }, actions: [] });
    await refused(() => k.reviewer.post(`/api/v1/delegations/${mine.id}/revoke`, {}), 409, 'DELEGATION_NOT_ACTIVE');
  });
});

describe('signing on behalf', () => {
  let doc = { id: '', version: 0 };
  let del = '';

  it('shows the principal’s task in the delegate’s inbox, marked "on behalf of"', async () => {
    doc = await inReview(k.author, [k.ids.reviewer]);
    const d = await k.reviewer.post('/api/v1/delegations', body({ delegateId: writerId, ...period(0, 7) }));
    expect(d.status, JSON.stringify(d.body)).toBe(201);
    del = d.body.id;
    const tasks = (await writer.get('/api/v1/tasks')).body as Array<{
      kind: string;
      link: { id: string };
      onBehalfOf?: unknown;
    }>;
    expect(tasks.find((t) => t.link.id === doc.id)).toMatchObject({
      kind: 'review',
      onBehalfOf: { id: k.ids.reviewer, delegationId: del },
    });
    // someone without a delegation sees nothing of it
    const other = (await k.reviewer2.get('/api/v1/tasks')).body as Array<{ link: { id: string } }>;
    expect(other.some((t) => t.link.id === doc.id)).toBe(false);
  });

  it('refuses a signature on behalf without a delegation, and an injected principal, writing nothing', async () => {
    await refused(() => signFor(k.reviewer2, doc, k.ids.reviewer), 403, 'NO_DELEGATION');
    const mark = await markLedger(srv.services);
    expect((await signFor(writer, doc, { $ne: null } as unknown as string)).status).toBe(400);
    await expectNothingWritten(srv.services, mark);
  });

  it('refuses B signing for A what B authored (separation of duties applies to both)', async () => {
    const own = await inReview(writer, [k.ids.reviewer]);
    await refused(() => signFor(writer, own, k.ids.reviewer), 409, 'SIGNER_IS_AUTHOR');
  });

  it('refuses B signing for A what A could not sign (A not named on it)', async () => {
    const notA = await inReview(k.author, [k.ids.reviewer2]);
    await refused(() => signFor(writer, notA, k.ids.reviewer), 409, 'NOT_A_REVIEWER');
  });

  it('signs as B on behalf of A: the signature, the ledger, the record and the PDF name both', async () => {
    const r = await signFor(writer, doc, k.ids.reviewer);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({
      signer: { id: writerId, name: 'Wendy Writer' },
      onBehalfOf: { id: k.ids.reviewer, delegationId: del },
      valid: true,
    });
    const aName = r.body.onBehalfOf.name as string;
    expect(r.body.manifestation).toContain(`Wendy Writer, signed on behalf of ${aName} — Reviewed — `);
    const [e] = (await srv.services.ledger.read(`document:${doc.id}`)).filter((x) => x.type === 'signature.applied');
    expect(e.actor.id).toBe(writerId);
    expect(e.data).toMatchObject({ signer: { id: writerId }, onBehalfOf: { id: k.ids.reviewer, delegationId: del } });
    // the review counts as A's: the document moved on to approval
    const d = (await k.author.get(`/api/v1/documents/${doc.id}`)).body;
    expect(d.revisions.at(-1).reviews[0]).toMatchObject({ userId: k.ids.reviewer, signedBy: { id: writerId } });
    const zh = (
      await writer.request('GET', `/api/v1/records/document:${doc.id}/signatures`, undefined, {
        'accept-language': 'zh-CN',
      })
    ).body;
    expect(zh[0].manifestation).toContain(`Wendy Writer 代表 ${aName} 签署 — 审核 — `);
    const pdf = flat(await exportedPdfText(srv, k.qa, { kind: 'document', id: doc.id, locale: 'en-US' }, dir));
    expect(pdf).toContain(`Wendy Writer, signed on behalf of ${aName}`);
  });

  it('after revocation the delegate is refused and the task leaves their inbox', async () => {
    const doc2 = await inReview(k.author, [k.ids.reviewer]);
    const v = (await k.reviewer.get(`/api/v1/delegations/${del}`)).body.version;
    expect((await k.reviewer.post(`/api/v1/delegations/${del}/revoke`, { version: v })).status).toBe(200);
    await refused(() => signFor(writer, doc2, k.ids.reviewer), 403, 'NO_DELEGATION');
    const tasks = (await writer.get('/api/v1/tasks')).body as Array<{ link: { id: string } }>;
    expect(tasks.some((t) => t.link.id === doc2.id)).toBe(false);
  });
});
