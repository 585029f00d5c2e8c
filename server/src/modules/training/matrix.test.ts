import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.ts';
import { createUser } from '../../identity/userService.ts';
import { requestContext, SYSTEM_ACTOR } from '../../platform/context.ts';
import { DEMO_USERS } from '../../../../seed/demo-users.ts';
import { cast, effectiveDocument, sign, type Cast } from '../documents/documents.factory.ts';
import { cellStatus } from './matrix.ts';

// The training matrix (matrix.ts) on a constructed case: one document trained by the operator
// role; operator opens and signs (current), operator2 has not (due); filters and the Excel list.
let srv: TestServer;
let k: Cast;
let docId = '';
const cells = async (q: string, c = k.qa) => (await c.get(`/api/v1/training-matrix${q}`)).body;

beforeAll(async () => {
  srv = await startTestServer({ seed: false });
  await requestContext.run({ requestId: 'test', locale: 'en-US', actor: SYSTEM_ACTOR }, async () => {
    for (const u of DEMO_USERS) await createUser(srv.services, { ...u, password: sign.password, temporary: false });
  });
  k = await cast(srv.url);
  docId = await effectiveDocument(k, { reviewers: [k.ids.reviewer], trainees: { roles: ['operator'], users: [] } });
  const [mine] = (await k.operator.get(`/api/v1/training?document=${docId}`)).body;
  await k.operator.bytes(`/api/v1/documents/${docId}/revisions/A/content`);
  expect((await k.operator.post(`/api/v1/training/${mine.id}/complete`, sign)).status).toBe(200);
});
afterAll(async () => {
  await srv?.stop();
});

describe('training matrix', () => {
  it('shows people × documents: the trained operator current, the other one due', async () => {
    const rows = await cells(`?documentId=${docId}`);
    const byUser = new Map(rows.map((r: { userId: string }) => [r.userId, r]));
    expect(byUser.get(k.ids.operator)).toMatchObject({ status: 'current', revision: 'A', effective: 'A' });
    expect(byUser.get(k.ids.operator2)).toMatchObject({ status: 'due', revision: 'A', completedAt: null });
    expect(rows).toHaveLength(2);
  });

  it('filters by role, department and status', async () => {
    expect(await cells(`?documentId=${docId}&role=qa_manager`)).toEqual([]);
    expect((await cells(`?documentId=${docId}&status=current`)).map((r: { userId: string }) => r.userId)).toEqual([
      k.ids.operator,
    ]);
    const dept = (await cells(`?documentId=${docId}`))[0].department;
    expect((await cells(`?department=${dept}&documentId=${docId}`)).length).toBe(2);
    expect(await cells(`?department=NOPE&documentId=${docId}`)).toEqual([]);
  });

  it('refuses malformed or injected filters (400) and people without training.read_all (403)', async () => {
    for (const q of ['?role=wizard', '?department[$ne]=x', '?status=late', '?x=1', `?department=${'A'.repeat(41)}`])
      expect((await k.qa.get(`/api/v1/training-matrix${q}`)).status).toBe(400);
    expect((await k.operator.get('/api/v1/training-matrix')).status).toBe(403);
  });

  it('exports the same rows to Excel (list training-matrix)', async () => {
    const x = await k.qa.bytes(`/api/v1/lists/training-matrix/export.xlsx?documentId=${docId}`);
    expect(x.status).toBe(200);
    expect(x.type).toContain('spreadsheetml');
    expect(x.body.subarray(0, 2).toString()).toBe('PK');
  });

  it('judges overdue and superseded by their definitions', () => {
    const today = '2026-06-15';
    // open on the effective revision, due yesterday: overdue; due today: still due
    expect(cellStatus([{ revision: 'B', status: 'open', due: '2026-06-14' }], 'B', today).status).toBe('overdue');
    expect(cellStatus([{ revision: 'B', status: 'open', due: '2026-06-15' }], 'B', today).status).toBe('due');
    // trained on A only while B is effective, or the document obsoleted: superseded (on the latest, A… then B)
    expect(cellStatus([{ revision: 'A', status: 'done', due: '2026-01-01' }], 'B', today).status).toBe('superseded');
    const obs = cellStatus(
      [
        { revision: 'A', status: 'done', due: '2026-01-01' },
        { revision: 'B', status: 'done', due: '2026-03-01' },
      ],
      null,
      today,
    );
    expect(obs).toEqual({ status: 'superseded', index: 1 });
    expect(cellStatus([{ revision: 'B', status: 'done', due: '2026-01-01' }], 'B', today).status).toBe('current');
  });
});
