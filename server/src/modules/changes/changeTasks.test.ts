import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';

// The inbox gets a change request's work exactly when its page offers it (issue 12 item 5): the
// demo company's change is approved with two work orders on the old DMR revision still undecided.
let t: TestServer;
let qa: Client;
let op: Client;
interface Task {
  kind: string;
  number: string;
  link: { route: string; id: string };
}
const tasksOf = async (c: Client) => (await c.get('/api/v1/tasks')).body as Task[];

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  [qa, op] = await Promise.all([as(t.url, 'qa.manager'), as(t.url, 'operator')]);
});
afterAll(async () => {
  await t?.stop();
});

describe('change request tasks in the inbox', () => {
  it('asks the board for the undecided work-order decisions, not yet the implementation; nothing for an operator', async () => {
    const changes = (await qa.get('/api/v1/changes')).body as Array<{ id: string; number: string; state: string }>;
    const demo = changes.find((c) => c.state === 'approved')!;
    expect(demo).toBeTruthy();
    const page = (await qa.get(`/api/v1/changes/${demo.id}`)).body as { actions: Array<{ action: string }> };
    const offered = new Set(page.actions.map((a) => a.action));
    expect(offered.has('decide_work_order')).toBe(true);
    expect(offered.has('implement')).toBe(false);

    const mine = (await tasksOf(qa)).filter((x) => x.link.id === demo.id);
    expect(mine.map((x) => x.kind)).toEqual(['change_work_order_decision']);
    expect(mine[0]).toMatchObject({ number: demo.number, link: { route: 'change', id: demo.id } });
    expect((await tasksOf(op)).filter((x) => x.kind.startsWith('change_'))).toEqual([]);
  });
});
