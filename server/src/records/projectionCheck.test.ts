import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { startTestServer, as, dbUri, type TestServer } from '../../test/harness.ts';
import { provenant } from '../../test/cli.ts';
import { EVENTS, Ledger } from '../ledger/ledger.ts';
import { SYSTEM_ACTOR } from '../platform/context.ts';
import type { Finding } from '../ledger/verify.ts';

// Issue 9, findings 18 and 1: projections edited behind the ledger's back are found, never carried
// forward, and repaired by `projections rebuild`; a record whose state cannot be stored never
// stops the server from starting, refuses writes, and is named by `ledger verify`.
let t: TestServer;
// DATA_DIR: the CLI needs the server's seal key file and checkpoint witness, which live there
const dbEnv = () => ({ MONGODB_URI: dbUri(t.services), DB_NAME: t.services.config.DB_NAME, DATA_DIR: t.dataDir });
const mine = (findings: Finding[], stream: string) => findings.filter((f) => f.stream === stream);
/**
 * The CLI as a separate process. spawnSync blocks this process, server included: let the server
 * close the keep-alive sockets that expired meanwhile before the next request (else ECONNRESET).
 */
async function runCli(args: string[]) {
  const r = provenant(args, dbEnv());
  await new Promise((resolve) => setTimeout(resolve, 300));
  return r;
}

beforeAll(async () => {
  t = await startTestServer({ seed: true, keepData: true, checkAtStart: true });
});
afterAll(async () => {
  await t?.stop();
  if (t) rmSync(t.dataDir, { recursive: true, force: true });
});

describe('projection check', () => {
  it('is clean on the seeded demo company, at start-up and in ledger verify', async () => {
    expect(t.services.projector.atStart).toMatchObject({ drifted: 0, unstorable: 0 });
    expect(t.services.projector.atStart!.streams).toBeGreaterThan(100);
    const admin = await as(t.url, 'admin');
    const r = await admin.get('/api/v1/ledger/verify');
    expect(r.status).toBe(200);
    expect(r.body.findings.filter((f: Finding) => f.kind.startsWith('projection'))).toEqual([]);
    expect(r.body.projections).toBeGreaterThan(100);
    expect(r.body.signatures).toBeGreaterThan(10);
  });

  it('names an edited projection, keeps the edit out of the next version, and rebuilds the rest', async () => {
    const admin = await as(t.url, 'admin');
    const users = (await admin.get('/api/v1/users')).body as Array<{
      id: string;
      username: string;
      fullName: string;
      roles: string[];
    }>;
    const op = users.find((u) => u.username === 'operator2')!;
    const lot = (await t.services.db.collection('lots').findOne({ status: 'released', quantity: { $gt: 5 } }))!;
    const lotStream = `lot:${lot._id}`;
    // someone with database access grants an operator administrator and inflates a lot
    await t.services.db
      .collection('users')
      .updateOne({ _id: op.id as never }, { $set: { roles: ['operator', 'administrator'], fullName: 'Mallory' } });
    await t.services.db.collection('lots').updateOne({ _id: lot._id }, { $set: { quantity: lot.quantity + 1000 } });
    // an orphan: a projection no stream stands behind
    await t.services.db
      .collection('lots')
      .insertOne({ _id: 'forged-lot' as never, lotNumber: 'FAKE', quantity: 5, ledgerVersion: 1 });

    const api = await admin.get('/api/v1/ledger/verify');
    expect(api.body.ok).toBe(false);
    const userFindings = mine(api.body.findings, `user:${op.id}`);
    expect(userFindings).toHaveLength(1);
    expect(userFindings[0]).toMatchObject({ kind: 'projection-drift' });
    expect(userFindings[0].detail).toMatch(/fullName, roles/);
    expect(mine(api.body.findings, lotStream)).toEqual([
      expect.objectContaining({
        kind: 'projection-drift',
        version: lot.ledgerVersion,
        detail: expect.stringMatching(/quantity/),
      }),
    ]);
    expect(mine(api.body.findings, 'lot:forged-lot')).toEqual([
      expect.objectContaining({ kind: 'projection-drift', detail: expect.stringMatching(/no stream/) }),
    ]);

    const cli = await runCli(['ledger', 'verify']);
    expect(cli, cli.out).toMatchObject({ code: 1 });
    expect(cli.out).toContain(`FAIL user:${op.id} version ${userFindings[0].version}: projection-drift`);
    expect(cli.out).toContain(`FAIL ${lotStream} version ${lot.ledgerVersion}: projection-drift`);

    // the next event on the user derives the whole document from the stream: the edit is gone
    const upd = await admin.patch(`/api/v1/users/${op.id}`, { email: 'sun.hao+2@kangjian.example' });
    expect(upd.status).toBe(200);
    const doc = await t.services.db.collection('users').findOne({ _id: op.id as never });
    expect(doc).toMatchObject({ fullName: op.fullName, roles: op.roles, email: 'sun.hao+2@kangjian.example' });
    expect(mine((await admin.get('/api/v1/ledger/verify')).body.findings, `user:${op.id}`)).toEqual([]);

    // the rebuild of one type repairs that type only
    const rebuild = await runCli(['projections', 'rebuild', '--type', 'lot']);
    expect(rebuild.code).toBe(0);
    expect(rebuild.out).toContain(`rebuilt ${lotStream}`);
    expect(rebuild.out).toContain('removed lot:forged-lot');
    expect(rebuild.out).toMatch(/2 rebuilt|1 rebuilt, 1 removed/);
    expect((await t.services.db.collection('lots').findOne({ _id: lot._id }))?.quantity).toBe(lot.quantity);
    const clean = await runCli(['ledger', 'verify']);
    expect(clean.out).not.toContain('projection-drift');
    // the repair itself is on the ledger (it erases the evidence of the edit from the projection)
    const repair = await t.services.db
      .collection(EVENTS)
      .find({ stream: 'maintenance:projections' })
      .sort({ version: -1 })
      .limit(1)
      .next();
    expect(repair).toMatchObject({
      type: 'projections.rebuilt',
      data: { types: ['lot'], counts: { rebuilt: 1, removed: 1 } },
    });
    expect((await runCli(['projections', 'rebuild', '--type', 'nosuch'])).code).toBe(2);
  }, 300_000);
});

describe('a record whose state cannot be stored', () => {
  it('never stops the server from starting: it is logged, refused writes and named by verify', async () => {
    const lots = await t.services.db
      .collection('lots')
      .find({ status: 'released', quantity: { $gt: 0 } })
      .limit(2)
      .toArray();
    const [live, cold] = lots.map((l) => ({
      id: String(l._id),
      stream: `lot:${l._id}`,
      location: l.balances[0].location as string,
      version: l.ledgerVersion as number,
    }));
    // events the doors now refuse (issue 9 finding 1), written as if an older version had let them in
    await t.services.ledger.append(
      live.stream,
      'lot.adjusted',
      { location: live.location, delta: 1e306, source: null },
      { actor: SYSTEM_ACTOR, reason: 'test' },
    );
    expect(t.services.projector.unstorableRecords().map((u) => u.stream)).toContain(live.stream);
    const clerk = await as(t.url, 'warehouse');
    const refused = await clerk.post(`/api/v1/lots/${live.id}/hold`, { reason: 'check the count' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('RECORD_UNSTORABLE');
    expect((await t.services.ledger.head(live.stream))?.version).toBe(live.version + 1);
    // the second one lands with no projector at all (another process), then the server restarts
    await new Ledger(t.services.db).append(
      cold.stream,
      'lot.adjusted',
      { location: cold.location, delta: 1e306, source: null },
      { actor: SYSTEM_ACTOR, reason: 'test' },
    );
    await t.stop();
    t = await startTestServer({ dataDir: t.dataDir, keepData: true });
    expect(t.services.projector.atStart?.unstorable).toBe(2);
    expect(
      t.services.projector
        .unstorableRecords()
        .map((u) => u.stream)
        .sort(),
    ).toEqual([live.stream, cold.stream].sort());

    const qa = await as(t.url, 'qa.manager');
    qa.locale = 'zh-CN';
    const again = await qa.post(`/api/v1/lots/${cold.id}/hold`, { reason: 'check the count' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'RECORD_UNSTORABLE' });
    expect(again.body.error.message).toMatch(/无法保存/);
    expect((await t.services.ledger.head(cold.stream))?.version).toBe(cold.version + 1);
    // other records are untouched
    const other = (await t.services.db
      .collection('lots')
      .findOne({ status: 'released', quantity: { $gt: 0 }, _id: { $nin: [live.id, cold.id] as never[] } }))!;
    expect((await qa.post(`/api/v1/lots/${other._id}/hold`, { reason: 'unrelated hold' })).status).toBe(200);

    const admin = await as(t.url, 'admin');
    const r = await admin.get('/api/v1/ledger/verify');
    expect(r.status).toBe(200);
    expect(r.body.ok).toBe(false);
    for (const l of [live, cold])
      expect(mine(r.body.findings, l.stream)).toContainEqual(
        expect.objectContaining({ kind: 'projection-unstorable', version: l.version }),
      );
    const cli = await runCli(['ledger', 'verify']);
    expect(cli, cli.out).toMatchObject({ code: 1 });
    expect(cli.out).toContain(`FAIL ${cold.stream} version ${cold.version}: projection-unstorable`);
    // the rebuild cannot store it either, and says so
    const rebuild = await runCli(['projections', 'rebuild', '--type', 'lot']);
    expect(rebuild.code).toBe(1);
    expect(rebuild.out).toContain(`FAILED ${cold.stream}`);
  }, 300_000);
});
