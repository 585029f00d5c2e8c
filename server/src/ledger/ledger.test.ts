import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestServer, as, dbUri, type TestServer } from '../../test/harness.ts';
import { provenant } from '../../test/cli.ts';
import { hashEvent, type LedgerEvent } from './event.ts';
import { verifyDatabaseLedger } from './audit.ts';
import { EVENTS, Ledger } from './ledger.ts';
import { CHECKPOINTS, Checkpointer } from './checkpoints.ts';

let t: TestServer;
// DATA_DIR: the CLI needs the server's seal key file and checkpoint witness, which live there
const dbEnv = () => ({ MONGODB_URI: dbUri(t.services), DB_NAME: t.services.config.DB_NAME, DATA_DIR: t.dataDir });
const events = () => t.services.db.collection<LedgerEvent>(EVENTS);

async function appendN(stream: string, n: number) {
  for (let i = 0; i < n; i++) await t.services.ledger.append(stream, 'test.noted', { i, note: `entry ${i}` });
}
async function report() {
  t.services.ledger.forgetHeads();
  return verifyDatabaseLedger(t.services.db, t.services.signer.certPem, t.services.signer.caCertPem);
}
/** Rewrites an event in place with a correct hash for its new content, as a careful forger would. */
async function forge(stream: string, version: number, change: Partial<LedgerEvent>) {
  const e = (await events().findOne({ stream, version }, { projection: { _id: 0 } }))!;
  const forged = { ...e, ...change };
  forged.hash = hashEvent(forged);
  await events().replaceOne({ stream, version }, forged);
}

beforeAll(async () => {
  t = await startTestServer({ seed: true });
});
afterAll(async () => {
  await t?.stop();
});

describe('ledger', () => {
  it('verifies clean after seeding, through the CLI and the API', async () => {
    const cli = provenant(['ledger', 'verify'], dbEnv());
    expect(cli.out).toContain('ledger verified');
    expect(cli.code).toBe(0);
    const admin = await as(t.url, 'admin');
    const r = await admin.get('/api/v1/ledger/verify');
    expect(r.status).toBe(200);
    expect(r.body.ok).toBe(true);
  });

  it('proves a saved checkpoint root through the API, counts uncovered events, and refuses a malformed root', async () => {
    const admin = await as(t.url, 'admin');
    const cp = (await t.services.checkpointer.create(true))!;
    const ok = await admin.get(`/api/v1/ledger/verify?expectRoot=${cp.root}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ ok: true, uncovered: 0, witnessed: expect.any(Number) });
    const missing = await admin.get(`/api/v1/ledger/verify?expectRoot=${'ab'.repeat(32)}`);
    expect(missing.body.ok).toBe(false);
    expect(missing.body.findings).toContainEqual(
      expect.objectContaining({ stream: '(checkpoint)', kind: 'expected-root-missing' }),
    );
    expect((await admin.get('/api/v1/ledger/verify?expectRoot=zz')).status).toBe(400);
  });

  it('seals a checkpoint as soon as a signature is appended, and every event carries a seal', async () => {
    const e = await t.services.ledger.append('test:signed', 'signature.applied', { meaning: 'approved' });
    const latest = (await t.services.checkpointer.latest())!;
    expect(latest.changed).toContainEqual({ stream: 'test:signed', version: e.version, hash: e.hash });
    expect(latest.sealKey).toBe(t.services.ledger.sealer!.publicKey);
    expect(await events().countDocuments({ seal: { $exists: false } })).toBe(0);
  });

  it('keeps one chain of checkpoints when two servers share the database, each head only moving forward', async () => {
    const other = new Ledger(t.services.db, t.services.ledger.sealer); // a second server: same key file, its own memory
    await other.loadHeads();
    const otherCheckpointer = new Checkpointer(t.services.db, t.services.signer, { ledger: other });
    for (let i = 0; i < 6; i++) {
      await Promise.all([
        t.services.ledger.append('test:server-a', 'test.noted', { i }),
        other.append('test:server-b', 'test.noted', { i }),
      ]);
      await Promise.all([t.services.checkpointer.create(), otherCheckpointer.create()]);
    }
    const all = await t.services.checkpointer.all();
    expect(all.map((c) => c.seq)).toEqual(all.map((_, i) => i + 1));
    const sealed = new Map<string, number>();
    for (const c of all)
      for (const h of c.changed) {
        expect(h.version, `${h.stream} in checkpoint ${c.seq}`).toBeGreaterThan(sealed.get(h.stream) ?? 0);
        sealed.set(h.stream, h.version);
      }
    expect([sealed.get('test:server-a'), sealed.get('test:server-b')]).toEqual([6, 6]);
    const r = await report();
    expect(r.findings).toEqual([]);
    expect(r.uncovered).toBe(0);
  });

  it('gives exactly one version to each of 50 parallel appends to one stream', async () => {
    const stream = 'test:parallel';
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => t.services.ledger.append(stream, 'test.noted', { i })),
    );
    const won = results.filter((r) => r.status === 'fulfilled').length;
    const lost = results.filter((r) => r.status === 'rejected');
    for (const r of lost) expect((r as PromiseRejectedResult).reason.code).toBe('CONFLICT');
    const stored = await events().find({ stream }).sort({ version: 1 }).toArray();
    expect(stored.length).toBe(won);
    expect(stored.map((e) => e.version)).toEqual(Array.from({ length: won }, (_, i) => i + 1));
    expect((await report()).findings.filter((f) => f.stream === stream)).toEqual([]);
  });

  it('lets 50 parallel HTTP writers to one record either win or get 409 CONFLICT, never both win', async () => {
    const admin = await as(t.url, 'admin');
    const target = (await admin.get('/api/v1/users')).body.find(
      (u: { username: string }) => u.username === 'operator2',
    );
    const before = await events().countDocuments({ stream: `user:${target.id}` });
    const res = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        admin.patch(`/api/v1/users/${target.id}`, { email: `op2+${i}@kangjian.example` }),
      ),
    );
    const codes = new Set(res.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.body.error.code}`));
    expect([...codes].every((c) => c === '409 CONFLICT')).toBe(true);
    const wins = res.filter((r) => r.status === 200).length;
    expect(wins).toBeGreaterThan(0);
    expect(await events().countDocuments({ stream: `user:${target.id}` })).toBe(before + wins);
    expect((await report()).ok).toBe(true);
  });

  it('names an edited event (content changed, hash left alone)', async () => {
    await appendN('test:edit', 4);
    await t.services.checkpointer.create();
    await events().updateOne({ stream: 'test:edit', version: 2 }, { $set: { 'data.note': 'quietly changed' } });
    const cli = provenant(['ledger', 'verify'], dbEnv());
    expect(cli.code).toBe(1);
    expect(cli.out).toMatch(/FAIL test:edit version 2: edited/);
    await events().updateOne({ stream: 'test:edit', version: 2 }, { $set: { 'data.note': 'entry 1' } });
    expect((await report()).findings.filter((f) => f.stream === 'test:edit')).toEqual([]);
  }, 120_000);

  it('names an edited and re-hashed event through the broken link and the checkpoint', async () => {
    await appendN('test:rehash', 3);
    await t.services.checkpointer.create();
    await forge('test:rehash', 3, { data: { i: 2, note: 'forged last entry' } });
    const r = await report();
    expect(r.findings).toContainEqual(
      expect.objectContaining({ stream: 'test:rehash', version: 3, kind: 'checkpoint-mismatch' }),
    );
  });

  it('names an edit to a checkpoint-covered event, re-hashed to the head with its seal left stale, by the checkpoint (issue 14 item 6)', async () => {
    await appendN('test:covered', 4);
    await t.services.checkpointer.create();
    // the careful forger: version 2 changed, 2..4 re-hashed and linked; the seals cannot be renewed
    for (let v = 2; v <= 4; v++) {
      const prev = (await events().findOne({ stream: 'test:covered', version: v - 1 }))!;
      await forge('test:covered', v, { prevHash: prev.hash, ...(v === 2 ? { data: { i: 1, note: 'forged' } } : {}) });
    }
    const r = await report();
    expect(r.ok).toBe(false);
    // the signed root still holds the old head: that alone names the rewrite, whatever the seals
    expect(r.findings).toContainEqual(
      expect.objectContaining({ stream: 'test:covered', version: 4, kind: 'checkpoint-mismatch' }),
    );
    // and since its sealed head no longer matches, every seal of that stream is checked: they name version 2 on
    expect(
      r.findings.filter((f) => f.stream === 'test:covered' && f.kind === 'bad-seal').map((f) => f.version),
    ).toEqual([2, 3, 4]);
  });

  it('names an edit to an event after the newest checkpoint by its seal, checking only such seals unless --all-seals', async () => {
    await appendN('test:tail', 2);
    await t.services.checkpointer.create();
    await appendN('test:tail', 2);
    // (the tests above left their own streams tampered: only this stream's findings count)
    const clean = await report();
    expect(clean.findings.filter((f) => f.stream === 'test:tail')).toEqual([]);
    expect(clean.seals!.all).toBe(false);
    expect(clean.seals!.covered).toBeGreaterThan(0);
    const all = await verifyDatabaseLedger(t.services.db, t.services.signer.certPem, t.services.signer.caCertPem, {
      allSeals: true,
    });
    expect(all.seals).toMatchObject({ checked: clean.seals!.checked + clean.seals!.covered, covered: 0, all: true });
    // the uncovered last event re-hashed: its chain is consistent, no checkpoint sealed it, its seal names it
    await forge('test:tail', 4, { data: { i: 1, note: 'forged tail' } });
    const r = await report();
    expect(r.findings.filter((f) => f.stream === 'test:tail')).toEqual([
      expect.objectContaining({ stream: 'test:tail', version: 4, kind: 'bad-seal' }),
    ]);
  });

  it('names a deleted event, in the middle and at the sealed end', async () => {
    await appendN('test:delete', 5);
    await t.services.checkpointer.create();
    await events().deleteOne({ stream: 'test:delete', version: 3 });
    await events().deleteOne({ stream: 'test:delete', version: 5 });
    const cli = provenant(['ledger', 'verify'], dbEnv());
    expect(cli.code).toBe(1);
    expect(cli.out).toMatch(/FAIL test:delete version 3: deleted/);
    expect(cli.out).toMatch(/FAIL test:delete version 5: deleted/);
  });

  it('names an inserted event', async () => {
    await appendN('test:insert', 4);
    // shift versions 3..4 up by one (highest first, the unique index is live) and slip a forged event in at 3
    for (const v of [4, 3])
      await events().updateOne({ stream: 'test:insert', version: v }, { $set: { version: v + 1 } });
    const v2 = (await events().findOne({ stream: 'test:insert', version: 2 }))!;
    const fake = {
      stream: 'test:insert',
      version: 3,
      type: 'test.noted',
      at: v2.at,
      actor: v2.actor,
      data: { i: 99, note: 'backdated' },
      prevHash: v2.hash,
    };
    await events().insertOne({ ...fake, hash: hashEvent(fake) } as LedgerEvent);
    const cli = provenant(['ledger', 'verify'], dbEnv());
    expect(cli.code).toBe(1);
    expect(cli.out).toMatch(/FAIL test:insert version 3: inserted/);
  });

  it('names reordered events', async () => {
    await appendN('test:reorder', 4);
    await events().updateOne({ stream: 'test:reorder', version: 2 }, { $set: { version: 102 } });
    await events().updateOne({ stream: 'test:reorder', version: 3 }, { $set: { version: 2 } });
    await events().updateOne({ stream: 'test:reorder', version: 102 }, { $set: { version: 3 } });
    const r = await report();
    const mine = r.findings.filter((f) => f.stream === 'test:reorder');
    expect(mine).toContainEqual(expect.objectContaining({ version: 2, kind: 'reordered' }));
    expect(mine).toContainEqual(expect.objectContaining({ version: 3, kind: 'reordered' }));
  });

  it('names a forged checkpoint', async () => {
    const cps = t.services.db.collection(CHECKPOINTS);
    const last = (await cps.find({}).sort({ seq: -1 }).limit(1).next())!;
    await cps.updateOne({ seq: last.seq }, { $set: { root: 'f'.repeat(64) } });
    const r = await report();
    expect(r.findings).toContainEqual(
      expect.objectContaining({ stream: '(checkpoint)', version: last.seq, kind: 'forged-checkpoint' }),
    );
    await cps.updateOne({ seq: last.seq }, { $set: { root: last.root } });
  });

  it('names documents among the checkpoints and witness lines that are not checkpoints, instead of failing the check', async () => {
    const cps = t.services.db.collection<Record<string, unknown>>(CHECKPOINTS);
    const witness = path.join(t.dataDir, 'ledger-witness.log');
    const before = readFileSync(witness, 'utf8');
    await cps.insertOne({ _id: 'junk' as never, seq: 'x', changed: 'not a list' });
    writeFileSync(witness, `${before}null\n{"seq":3}\n`);
    try {
      const admin = await as(t.url, 'qa.manager');
      const r = await admin.get('/api/v1/ledger/verify');
      expect(r.status).toBe(200);
      expect(r.body.ok).toBe(false);
      expect(r.body.findings).toContainEqual(
        expect.objectContaining({
          stream: '(checkpoint)',
          kind: 'forged-checkpoint',
          detail: expect.stringContaining('not a checkpoint'),
        }),
      );
      expect(r.body.findings.filter((f: { stream: string }) => f.stream === '(witness)')).toHaveLength(2);
    } finally {
      await cps.deleteOne({ _id: 'junk' as never });
      writeFileSync(witness, before);
    }
    expect((await report()).findings.filter((f: { stream: string }) => f.stream === '(witness)')).toHaveLength(0);
  });

  it("serves a record's events with their verification status", async () => {
    const admin = await as(t.url, 'admin');
    const me = (await admin.get('/api/v1/auth/me')).body.user;
    const r = await admin.get(`/api/v1/records/${encodeURIComponent(`user:${me.id}`)}/ledger`);
    expect(r.status).toBe(200);
    expect(r.body.valid).toBe(true);
    expect(r.body.events[0]).toMatchObject({ version: 1, type: 'user.created', status: 'ok' });
    const bad = await admin.get(`/api/v1/records/${encodeURIComponent('test:edit')}/ledger`);
    expect(bad.status).toBe(200); // type-less stream: readable with ledger.verify
    const op = await as(t.url, 'operator');
    expect((await op.get(`/api/v1/records/${encodeURIComponent('test:edit')}/ledger`)).status).toBe(403);
  });
});

describe('ledger bundle', () => {
  it('exports a bundle that verifies offline, and fails after one changed byte', async () => {
    // a clean server: the tamper tests above broke this one on purpose
    const clean = await startTestServer({ seed: true });
    try {
      const dir = mkdtempSync(path.join(tmpdir(), 'bundle-'));
      const file = path.join(dir, 'ledger.json');
      const env = {
        MONGODB_URI: dbUri(clean.services),
        DB_NAME: clean.services.config.DB_NAME,
        DATA_DIR: clean.dataDir,
      };
      const exp = provenant(['ledger', 'export', '--out', file], env);
      expect(exp.code).toBe(0);
      const ok = provenant(['ledger', 'verify', '--bundle', file], { MONGODB_URI: 'mongodb://127.0.0.1:1/' });
      expect(ok.out).toContain('ledger verified');
      expect(ok.code).toBe(0);
      const bundle = JSON.parse(readFileSync(file, 'utf8'));
      const victim = bundle.events.find((e: LedgerEvent) => e.type === 'user.created');
      victim.data.roles = [...victim.data.roles, 'administrator']; // an escalation slipped into an exported copy
      writeFileSync(file, JSON.stringify(bundle));
      const bad = provenant(['ledger', 'verify', '--bundle', file]);
      expect(bad.code).toBe(1);
      expect(bad.out).toContain(`FAIL ${victim.stream} version 1: edited`);
    } finally {
      await clean.stop();
    }
  }, 180_000); // three CLI runs over the demo's whole ledger (a year of history)
});
