import { as, DEMO_PASSWORD, type Client } from '../../../test/harness.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';

// Test factories for CAPAs: each step through HTTP, as the client takes it.
export const sign = { password: DEMO_PASSWORD };
type Res = Awaited<ReturnType<Client['get']>>;

/** The cast of a CAPA: the owner (a QA engineer), the QA approver, an action owner, a production supervisor. */
export async function capaCast(url: string) {
  const [owner, qa, operator, supervisor, author] = await Promise.all(
    ['qa.engineer', 'qa.manager', 'operator', 'prod.supervisor', 'author'].map((u) => as(url, u)),
  );
  const users = (await qa.get('/api/v1/users')).body as Array<{ id: string; username: string }>;
  const ids = Object.fromEntries(users.map((u) => [u.username, u.id]));
  return { owner, qa, operator, supervisor, author, ids };
}
export type CapaCast = Awaited<ReturnType<typeof capaCast>>;

export const newCapaBody = (k: CapaCast, over: Record<string, unknown> = {}) => ({
  title: 'Infusion set leak at the spike joint',
  source: { type: 'trend', id: 'TR-2026-Q3 leak rate' }, // an NC or complaint source must exist
  problem: 'Three complaints of leakage at the spike/tube joint of lot L2611 during priming.',
  owner: k.ids['qa.engineer'],
  due: addDays(todayUtc(), 60),
  ...over,
});

export function ok(r: Res, what: string) {
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** POST /capas/:id/actions/<action> at the version the user sees now. */
export async function act(c: Client, id: string, action: string, body: Record<string, unknown> = {}) {
  const v = (await c.get(`/api/v1/capas/${id}`)).body.version;
  return c.post(`/api/v1/capas/${id}/actions/${action}`, { version: v, ...body });
}

export const fiveWhy = (n: number) => ({
  method: 'five_why',
  whys: Array.from({ length: n }, (_, i) => ({ why: `Why ${i + 1}?`, answer: `Because ${i + 1}` })),
});

/** A CAPA opened and decided "proceed", with its investigation recorded and one action for the operator. */
export async function capaInProgress(k: CapaCast) {
  const c = ok(await k.owner.post('/api/v1/capas', newCapaBody(k)), 'open');
  const risk = { severity: 4, occurrence: 3 };
  ok(
    await act(k.qa, c.id, 'decide', { decision: 'proceed', risk, rationale: 'Serious injury possible', ...sign }),
    'decide',
  );
  ok(
    await act(k.owner, c.id, 'investigate', { analysis: fiveWhy(5), rootCause: 'Leak test limit too wide' }),
    'investigate',
  );
  ok(
    await act(k.owner, c.id, 'add_task', {
      description: 'Revise the leak-test work instruction',
      owner: k.ids.operator,
      due: addDays(todayUtc(), 30),
    }),
    'add_task',
  );
  return c.id as string;
}
