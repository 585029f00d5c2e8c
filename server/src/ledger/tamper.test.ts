import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Db } from 'mongodb';
import { startTestServer, TEST_ENV } from '../../test/harness.ts';
import { provenant } from '../../test/cli.ts';
import { startEmbeddedEngine } from '../platform/db/engine.ts';
import { connectDatabase } from '../platform/db/mongo.ts';
import { hashEvent, type LedgerEvent } from './event.ts';
import { EVENTS } from './ledger.ts';
import { CHECKPOINTS, type Checkpoint } from './checkpoints.ts';

// The tamper matrix of issue 9 (finding 16), through the CLI an operator runs, on copies of the
// stopped, seeded demo database: someone with write access to the database (but not to the seal
// key file, the witness file or PROVENANT_SECRET) edits, inserts, deletes, reorders, copies a
// signature, drops or replaces checkpoints. Every change must be named with its stream and
// version (exit code 1); the untouched copy verifies clean (exit code 0).
let demo: string;
const copies: string[] = [];
let saved: Checkpoint;

beforeAll(async () => {
  const t = await startTestServer({ seed: true, keepData: true });
  // every event covered, as the periodic checkpoint would leave it (the tail after the last
  // checkpoint is what checkpoints cannot vouch for: only its seals protect it)
  saved = (await t.services.checkpointer.create(true, true))!;
  await t.stop();
  demo = t.dataDir;
}, 300_000);
afterAll(() => {
  for (const d of [demo, ...copies]) if (d) rmSync(d, { recursive: true, force: true });
});

/** A copy of the demo data directory, edited straight in its database with no server running. */
async function tampered(edit: (db: Db) => Promise<void>): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tamper-'));
  copies.push(dir);
  cpSync(demo, dir, { recursive: true });
  const engine = await startEmbeddedEngine({ dataDir: dir });
  const database = await connectDatabase(engine.uri, 'provenant');
  try {
    await edit(database.db);
  } finally {
    await database.close();
    await engine.stop();
  }
  return dir;
}
const verify = (dir: string, ...args: string[]) =>
  provenant(['ledger', 'verify', ...args], { ...TEST_ENV(), DATA_DIR: dir, MONGODB_URI: '' });

const stream = (db: Db, name: string) =>
  db
    .collection<LedgerEvent>(EVENTS)
    .find({ stream: name }, { projection: { _id: 0 } })
    .sort({ version: 1 })
    .toArray();
/** The careful forger: writes `events` back from `from` on, each hash recomputed and linked (the seals cannot be). */
async function rechain(db: Db, events: LedgerEvent[], from: number) {
  const col = db.collection<LedgerEvent>(EVENTS);
  for (let i = from - 1; i < events.length; i++) {
    const e = { ...events[i], prevHash: i ? events[i - 1].hash : '0'.repeat(64) };
    e.hash = hashEvent(e);
    events[i] = e;
    await col.replaceOne({ stream: e.stream, version: e.version }, e);
  }
}
/** Streams with at least `min` events (at least `n` of them), by name: every row of the matrix edits its own. */
async function pickStreams(db: Db, min: number, n: number, prefix = ''): Promise<string[]> {
  const counts = new Map<string, number>();
  for await (const e of db.collection<LedgerEvent>(EVENTS).find({}, { projection: { stream: 1 } }))
    counts.set(e.stream, (counts.get(e.stream) ?? 0) + 1);
  const out = [...counts]
    .filter(([s, c]) => c >= min && s.startsWith(prefix))
    .map(([s]) => s)
    .sort();
  if (out.length < n) throw new Error(`the demo has only ${out.length} streams "${prefix}…" with ${min}+ events`);
  return out;
}

describe('tamper matrix through `provenant ledger verify`', () => {
  it('verifies the untouched copy clean, every event covered, and proves a saved root', () => {
    const r = verify(demo);
    expect(r.out).toContain('ledger verified');
    expect(r.out).toContain('0 event(s) not yet covered by a checkpoint');
    expect(r.out).toMatch(/\d+ checkpoint\(s\) in the witness file\(s\) outside the database, compared/);
    expect(r.code).toBe(0);
    expect(verify(demo, '--expect-root', saved.root).code).toBe(0);
    expect(verify(demo, '--expect-root', saved.hash).code).toBe(0);
    const other = verify(demo, '--expect-root', 'ab'.repeat(32));
    expect(other.code).toBe(1);
    expect(other.out).toMatch(/FAIL \(checkpoint\) version 0: expected-root-missing/);
    expect(verify(demo, '--expect-root', 'not-a-root').code).toBe(2);
  }, 240_000);

  it('verifies on worker threads, streamed (issue 14 item 6), and names a tampered event there', async () => {
    let edited = '';
    const dir = await tampered(async (db) => {
      [edited] = await pickStreams(db, 3, 1, 'document:');
      await db.collection(EVENTS).updateOne({ stream: edited, version: 2 }, { $set: { 'data.__forged': true } });
    });
    const r = verify(dir, '--json', '--threads', '2');
    const report = JSON.parse(r.out.slice(r.out.indexOf('{'))) as { workers: number; findings: unknown[] };
    expect(report.workers).toBeGreaterThanOrEqual(1);
    // the same findings in the same order as the single-threaded verification (--threads 0)
    const single = verify(dir, '--json', '--threads', '0');
    const one = JSON.parse(single.out.slice(single.out.indexOf('{'))) as { workers?: number; findings: unknown[] };
    expect(one.workers).toBeUndefined();
    expect(report.findings).toEqual(one.findings);
    expect(report.findings).toContainEqual(expect.objectContaining({ stream: edited, version: 2, kind: 'edited' }));
    expect(r.code).toBe(1);
  }, 240_000);

  it('names every edited, inserted, deleted, reordered or copied event with its stream and version', async () => {
    const rows: Array<[string, RegExp]> = [];
    const dir = await tampered(async (db) => {
      const col = db.collection<LedgerEvent>(EVENTS);
      const picked = (await pickStreams(db, 4, 7)).slice(0, 7);
      const [edit, insertTail, insertMiddle, delMiddle, delTail, reorder, rewrite] = picked;
      // edit: content changed, hash left alone
      await col.updateOne({ stream: edit, version: 2 }, { $set: { 'data.__forged': true } });
      rows.push(['edit', new RegExp(`FAIL ${edit} version 2: edited`)]);
      // insert at the tail with a correct hash and link: only the seal can tell
      const tail = (await stream(db, insertTail)).at(-1)!;
      const forged = {
        ...tail,
        version: tail.version + 1,
        type: tail.type,
        at: new Date().toISOString(),
        data: { forged: true },
        prevHash: tail.hash,
      };
      delete (forged as Partial<LedgerEvent>).seal;
      forged.hash = hashEvent(forged);
      await col.insertOne(forged);
      rows.push([
        'insert (tail, recomputed hash)',
        new RegExp(`FAIL ${insertTail} version ${tail.version + 1}: unsealed`),
      ]);
      // insert in the middle: later versions shifted up, the chain recomputed from there
      const mid = await stream(db, insertMiddle);
      for (const e of [...mid].reverse().filter((x) => x.version >= 2))
        await col.updateOne({ stream: insertMiddle, version: e.version }, { $set: { version: e.version + 1 } });
      const slipped = { ...mid[0], version: 2, data: { slipped: true }, prevHash: mid[0].hash };
      delete (slipped as Partial<LedgerEvent>).seal;
      await col.insertOne({ ...slipped, hash: hashEvent(slipped) });
      await rechain(db, await stream(db, insertMiddle), 2);
      rows.push(['insert (middle, recomputed chain)', new RegExp(`FAIL ${insertMiddle} version 2: unsealed`)]);
      rows.push(['… and the shifted events', new RegExp(`FAIL ${insertMiddle} version 3: bad-seal`)]);
      // delete in the middle, and the sealed tail
      await col.deleteOne({ stream: delMiddle, version: 2 });
      rows.push(['delete (middle)', new RegExp(`FAIL ${delMiddle} version 2: deleted`)]);
      const last = (await stream(db, delTail)).at(-1)!;
      await col.deleteOne({ stream: delTail, version: last.version });
      rows.push(['delete (tail)', new RegExp(`FAIL ${delTail} version ${last.version}: deleted`)]);
      // reorder: versions 2 and 3 swapped
      await col.updateOne({ stream: reorder, version: 2 }, { $set: { version: 1002 } });
      await col.updateOne({ stream: reorder, version: 3 }, { $set: { version: 2 } });
      await col.updateOne({ stream: reorder, version: 1002 }, { $set: { version: 3 } });
      rows.push(['reorder', new RegExp(`FAIL ${reorder} version [23]: reordered`)]);
      // a sealed stream rewritten from version 2 with every hash recomputed
      const events = await stream(db, rewrite);
      events[1] = { ...events[1], data: { ...events[1].data, __rewritten: true } };
      await rechain(db, events, 2);
      rows.push(['edit with recomputed chain', new RegExp(`FAIL ${rewrite} version 2: bad-seal`)]);
      // a signature copied onto another record of the same type, appended with a recomputed hash
      const signature = (await col.findOne(
        { type: 'signature.applied', stream: /^document:/ },
        { projection: { _id: 0 } },
      ))!;
      const [target] = (await pickStreams(db, 2, 2, 'document:')).filter(
        (s) => s !== signature.stream && !picked.includes(s),
      );
      const head = (await stream(db, target)).at(-1)!;
      const copied = { ...signature, stream: target, version: head.version + 1, prevHash: head.hash };
      copied.hash = hashEvent(copied);
      await col.insertOne(copied);
      rows.push([
        'signature copied onto another record',
        new RegExp(`FAIL ${target} version ${head.version + 1}: bad-seal`),
      ]);
      // a document that is no event at all must be named, and must not stop the other checks
      await db.collection(EVENTS).insertOne({ note: 'not an event' });
      rows.push(['a malformed document', /FAIL \(no stream\) version 0: inserted/]);
    });
    const r = verify(dir);
    for (const [what, line] of rows) expect([what, line.test(r.out)], r.out).toEqual([what, true]);
    expect(r.code).toBe(1);
    // on worker threads and in one thread (the default below 100k events): the same report, line for line
    expect(verify(dir, '--threads', '2')).toEqual(r);
  }, 240_000);

  it('names a deleted and a replaced checkpoint against the witness', async () => {
    let last = 0;
    const dir = await tampered(async (db) => {
      const col = db.collection<Checkpoint>(CHECKPOINTS);
      last = (await col.find({}).sort({ seq: -1 }).limit(1).next())!.seq;
      await col.deleteOne({ seq: last });
      const third = (await col.findOne({ seq: 3 }, { projection: { _id: 0 } }))!;
      await col.replaceOne({ seq: 2 }, { ...third, seq: 2 }); // another genuine, signed checkpoint in its place
    });
    const r = verify(dir);
    expect(r.out).toMatch(new RegExp(`FAIL \\(checkpoint\\) version ${last}: checkpoint-missing`));
    expect(r.out).toMatch(/FAIL \(checkpoint\) version 2: checkpoint-replaced/);
    expect(r.code).toBe(1);
  }, 240_000);

  it('with every checkpoint deleted, still names a rewritten stream and a truncated tail', async () => {
    let count = 0,
      rewritten = '',
      truncated = '',
      tailVersion = 0;
    const dir = await tampered(async (db) => {
      count = await db.collection(CHECKPOINTS).countDocuments();
      await db.collection(CHECKPOINTS).deleteMany({});
      [rewritten, truncated] = await pickStreams(db, 3, 2, 'document:');
      const events = await stream(db, rewritten);
      events[0] = { ...events[0], data: { ...events[0].data, title: 'rewritten' } };
      await rechain(db, events, 1);
      tailVersion = (await stream(db, truncated)).at(-1)!.version;
      await db.collection(EVENTS).deleteOne({ stream: truncated, version: tailVersion });
    });
    const r = verify(dir);
    expect(r.out).toMatch(/FAIL \(checkpoint\) version 1: checkpoint-missing/);
    expect(r.out).toMatch(new RegExp(`FAIL \\(checkpoint\\) version ${count}: checkpoint-missing`));
    expect(r.out).toMatch(new RegExp(`FAIL ${rewritten} version 1: bad-seal`));
    expect(r.out).toMatch(new RegExp(`FAIL ${truncated} version ${tailVersion}: deleted`));
    expect(r.code).toBe(1);
    // the auditor's saved root is gone from the database, but the witness still holds it
    expect(verify(dir, '--expect-root', saved.root).out).not.toContain('expected-root-missing');
  }, 240_000);

  it('upgrades a ledger written before events were sealed: a checkpoint covers the old events, then a new key (0600) seals', async () => {
    const dir = await tampered(async (db) => {
      await db.collection(EVENTS).updateMany({}, { $unset: { seal: '' } });
      await db.collection(CHECKPOINTS).deleteMany({});
    });
    for (const f of ['ledger-seal.key', 'ledger-witness.log']) rmSync(path.join(dir, f));
    const r = verify(dir);
    expect(r.out).toContain('ledger verified');
    expect(r.code).toBe(0);
    expect(statSync(path.join(dir, 'ledger-seal.key')).mode & 0o777).toBe(0o600);
  }, 120_000);

  it('refuses to start without the seal key file, naming it', async () => {
    const dir = await tampered(async () => undefined);
    rmSync(path.join(dir, 'ledger-seal.key'));
    const r = verify(dir);
    expect(r.code).toBe(2);
    expect(r.out).toContain(path.join(dir, 'ledger-seal.key'));
  }, 120_000);
});
