import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/harness.ts';
import type { Services } from '../platform/services.ts';
import type { LedgerEvent } from '../ledger/event.ts';
import { verifyStream } from '../ledger/verify.ts';
import { assertNoCrashHook, COMMAND_JOURNAL, repairJournal } from './commandJournal.ts';

// The journal's roll-forward on its own (the kill -9 cases are in crashSafety.test.ts): planned
// events written once, in order, whatever was written before the crash; an entry whose events
// this server did not seal is never written.
let t: TestServer;
let s: Services;
const journal = () => s.db.collection<{ _id: string; at: string; events: LedgerEvent[] }>(COMMAND_JOURNAL);

async function plan(prefix: string): Promise<LedgerEvent[]> {
  const run = await s.ledger.capture(async () => {
    await s.ledger.append(`${prefix}:a`, 'test.one', { n: 1 });
    await s.ledger.append(`${prefix}:b`, 'test.two', { n: 2 });
    await s.ledger.append(`${prefix}:a`, 'test.three', { n: 3 });
  });
  expect(run.ok).toBe(true);
  return run.events;
}
const chain = async (stream: string) => {
  const events = await s.ledger.read(stream, undefined, { fresh: true });
  expect(verifyStream(stream, events).findings).toEqual([]);
  return events.map((e) => e.type);
};

beforeAll(async () => {
  t = await startTestServer();
  s = t.services;
});
afterAll(async () => {
  await t?.stop();
});

describe('command journal', () => {
  it('a capture writes nothing until the plan is written', async () => {
    const before = await s.ledger.count();
    const events = await plan('cj0');
    expect(events.map((e) => [e.stream, e.version])).toEqual([
      ['cj0:a', 1],
      ['cj0:b', 1],
      ['cj0:a', 2],
    ]);
    expect(events[2].prevHash).toBe(events[0].hash);
    expect(await s.ledger.count()).toBe(before);
    expect(await s.ledger.head('cj0:a')).toBeNull();
  });

  it('rolls an interrupted command forward once, and again changes nothing', async () => {
    const events = await plan('cj1');
    await journal().insertOne({ _id: 'cj1', at: new Date().toISOString(), events });
    await s.ledger.insertPlanned(events[0]); // the crash came after the first write
    expect(await repairJournal(s)).toEqual({ repaired: 1, refused: 0 });
    expect(await chain('cj1:a')).toEqual(['test.one', 'test.three']);
    expect(await chain('cj1:b')).toEqual(['test.two']);
    expect(await journal().countDocuments({})).toBe(0);
    // a crash after the writes, before the entry was removed: nothing is written twice
    await journal().insertOne({ _id: 'cj1', at: new Date().toISOString(), events });
    expect(await repairJournal(s)).toEqual({ repaired: 1, refused: 0 });
    expect(await chain('cj1:a')).toEqual(['test.one', 'test.three']);
    expect(await chain('cj1:b')).toEqual(['test.two']);
  });

  it('chains a planned event anew where another write took its version, and recognises it after', async () => {
    const events = await plan('cj2');
    await journal().insertOne({ _id: 'cj2', at: new Date().toISOString(), events });
    await s.ledger.insertPlanned(events[0]);
    await s.ledger.append('cj2:b', 'test.other', { n: 9 }); // cj2:b version 1 is someone else's now
    expect(await repairJournal(s)).toEqual({ repaired: 1, refused: 0 });
    expect(await chain('cj2:b')).toEqual(['test.other', 'test.two']);
    expect(await chain('cj2:a')).toEqual(['test.one', 'test.three']);
    await journal().insertOne({ _id: 'cj2', at: new Date().toISOString(), events });
    await repairJournal(s);
    expect(await chain('cj2:b')).toEqual(['test.other', 'test.two']);
  });

  it('never writes an event this server did not seal (a forged entry)', async () => {
    const events = await plan('cj3');
    const forged = events.map((e, i) => (i === 1 ? { ...e, data: { n: 1_000_000 } } : e));
    await journal().insertOne({ _id: 'cj3', at: new Date().toISOString(), events: forged });
    expect(await repairJournal(s)).toEqual({ repaired: 0, refused: 1 });
    expect(await s.ledger.head('cj3:a')).toBeNull();
    expect(await s.ledger.head('cj3:b')).toBeNull();
    await journal().deleteOne({ _id: 'cj3' });
  });

  it('refuses the crash hook outside tests', () => {
    const env = { ...process.env };
    try {
      process.env.PROVENANT_CRASH_AFTER_APPENDS = '1';
      process.env.NODE_ENV = 'production';
      expect(() => assertNoCrashHook()).toThrow(/NODE_ENV=test/);
      process.env.NODE_ENV = 'test';
      expect(() => assertNoCrashHook()).not.toThrow();
    } finally {
      process.env.NODE_ENV = env.NODE_ENV;
      if (env.PROVENANT_CRASH_AFTER_APPENDS === undefined) delete process.env.PROVENANT_CRASH_AFTER_APPENDS;
    }
  });
});
