import { expect } from 'vitest';
import { as, DEMO_PASSWORD, type Client, type TestServer } from '../../../test/harness.ts';
import { expectNothingWritten, markLedger } from '../../../test/refusals.ts';
import { IMPACT_QUESTIONS } from './events.ts';

// Test factories for change requests: each step through HTTP, as the client does.
export const sign = { password: DEMO_PASSWORD };

export async function changeCast(url: string) {
  const [qa, qaEng, author, reviewer, reviewer2, sup, op] = await Promise.all(
    ['qa.manager', 'qa.engineer', 'author', 'reviewer', 'reviewer2', 'prod.supervisor', 'operator'].map((u) =>
      as(url, u),
    ),
  );
  const users = (await qa.get('/api/v1/users')).body as Array<{ id: string; username: string }>;
  const ids = Object.fromEntries(users.map((u) => [u.username, u.id]));
  return { qa, qaEng, author, reviewer, reviewer2, sup, op, ids };
}
export type ChangeCast = Awaited<ReturnType<typeof changeCast>>;

/** Every 7.3.9 question answered (only function and labeling affected). */
export const impact = () =>
  Object.fromEntries(
    IMPACT_QUESTIONS.map((q) => [q, { affected: q === 'function' || q === 'labeling', note: `${q} assessed` }]),
  );
export const minor = { class: 'minor', regulatoryNotification: false, rationale: 'no change to intended use' };

export const changeBody = (over: Record<string, unknown> = {}) => ({
  title: { zh: '更新检漏作业指导书', en: 'Revise the leak-test work instruction' },
  reason: 'Leak test pressure hold extended after CAPA investigation',
  impact: impact(),
  classification: minor,
  ...over,
});

export async function actOn(c: Client, id: string, action: string, extra: Record<string, unknown> = {}) {
  const cur = await c.get(`/api/v1/changes/${id}`);
  return c.post(`/api/v1/changes/${id}/actions/${action}`, { version: cur.body.version, ...extra });
}

export function ok(r: { status: number; body: unknown }, what: string) {
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test reads the JSON it got
  return r.body as any;
}

/** The refusal: status and code, and nothing written (a wrong password: its failed attempt only). */
export async function refused(
  t: TestServer,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test reads the JSON it got
  f: () => Promise<{ status: number; body: any }>,
  status: number,
  code: string,
  allowUserEvents = 0,
) {
  const mark = await markLedger(t.services);
  const r = await f();
  expect([r.status, r.body?.error?.code]).toEqual([status, code]);
  await expectNothingWritten(t.services, mark, { allowUserEvents });
  return r;
}

/** A new SOP whose revision A is a draft (nameable by a change). */
export async function draftDocument(k: ChangeCast, title = 'Leak test work instruction', type = 'sop') {
  const created = await k.author.post('/api/v1/documents', {
    type,
    title: { zh: '检漏作业指导书', en: title },
    summary: { zh: '摘要', en: 'Summary' },
    department: 'QA',
    reviewers: [k.ids.reviewer, k.ids.reviewer2],
    approvers: [k.ids['qa.manager']],
    trainees: { roles: ['operator'], users: [] },
    reviewIntervalMonths: 12,
  });
  return ok(created, 'create document') as { id: string; version: number };
}
