import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, startTestServer, type TestServer } from '../../test/harness.ts';
import { EVENTS } from '../ledger/ledger.ts';
import type { LedgerEvent } from '../ledger/event.ts';
import { isSimulated, now, nowIso, withSimulatedTime } from './clock.ts';
import { todayUtc } from './dates.ts';

// The system clock (platform/clock.ts) and the demo company's year of history (issue 13 item 8).
// 21 CFR 11.10(e): audit-trail times are the system's own; the simulated clock exists only inside
// the demo seed, so it must never reach a request or outlive the seed's own calls.

const DAY = 86_400_000;
const yearAgo = () => new Date(Date.now() - 365 * DAY);
const near = (iso: string, ms: number, slack = 120_000) => Math.abs(Date.parse(iso) - ms) < slack;

describe('clock', () => {
  it('is the real clock outside withSimulatedTime, start + elapsed inside it', async () => {
    expect(isSimulated()).toBe(false);
    expect(near(nowIso(), Date.now(), 1000)).toBe(true);
    const start = yearAgo();
    const seen = await withSimulatedTime(start, async () => {
      const a = now().getTime();
      await new Promise((r) => setTimeout(r, 30));
      const b = now().getTime();
      return { a, b, today: todayUtc(), simulated: isSimulated() };
    });
    expect(seen.simulated).toBe(true);
    expect(seen.a - start.getTime()).toBeGreaterThanOrEqual(0);
    expect(seen.a - start.getTime()).toBeLessThan(1000);
    expect(seen.b - seen.a).toBeGreaterThanOrEqual(25); // order within a simulated day is kept
    expect(seen.today).toBe(start.toISOString().slice(0, 10));
    expect(todayUtc()).toBe(new Date().toISOString().slice(0, 10));
  });

  it('does not leak: a timer started inside and firing after, and a concurrent task, see the real clock', async () => {
    let later: Promise<number> = Promise.resolve(0);
    let concurrent: Promise<number> = Promise.resolve(0);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    concurrent = gate.then(() => now().getTime()); // created outside: resumes outside
    await withSimulatedTime(yearAgo(), async () => {
      later = new Promise((r) => setTimeout(() => r(now().getTime()), 50));
      release();
      await concurrent;
    });
    expect(near(new Date(await concurrent).toISOString(), Date.now())).toBe(true);
    expect(near(new Date(await later).toISOString(), Date.now())).toBe(true);
    expect(isSimulated()).toBe(false);
  });

  it('refuses a simulated time in the future', async () => {
    await expect(withSimulatedTime(new Date(Date.now() + DAY), async () => 1)).rejects.toThrow(/future/);
  });
});

describe('the demo company’s year of history', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ seed: true });
  }, 240_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('a request served while a simulated clock runs is stamped with the real time', async () => {
    const before = Date.now();
    await withSimulatedTime(yearAgo(), async () => {
      expect(isSimulated()).toBe(true);
      await as(t.url, 'qa.manager'); // the login appends auth.loggedIn, in the request's own context
    });
    const logins = await t.services.db
      .collection<LedgerEvent>(EVENTS)
      .find({ type: 'auth.loggedIn' })
      .sort({ at: -1 })
      .limit(1)
      .toArray();
    expect(logins).toHaveLength(1);
    expect(Date.parse(logins[0].at)).toBeGreaterThanOrEqual(before - 1000);
    expect(near(logins[0].at, Date.now())).toBe(true);
  });

  it('is chronological in every stream, spans at least 300 days and says it was simulated', async () => {
    const events = await t.services.db
      .collection<LedgerEvent>(EVENTS)
      .find({}, { projection: { stream: 1, version: 1, at: 1, type: 1, data: 1 } })
      .toArray();
    const byStream = new Map<string, LedgerEvent[]>();
    for (const e of events) byStream.set(e.stream, [...(byStream.get(e.stream) ?? []), e]);
    const backwards: string[] = [];
    for (const [stream, es] of byStream) {
      es.sort((a, b) => a.version - b.version);
      // concurrent appends to one stream (numbering sequences) are stamped when each event is
      // computed, so two of the same second may land a few ms out of order: a simulated day out of
      // order is what this catches
      for (let i = 1; i < es.length; i++)
        if (Date.parse(es[i].at) < Date.parse(es[i - 1].at) - 1000) backwards.push(`${stream} v${es[i].version}`);
    }
    expect(backwards).toEqual([]);
    const times = events.map((e) => Date.parse(e.at));
    const span = (Math.max(...times) - Math.min(...times)) / DAY;
    expect(span).toBeGreaterThanOrEqual(300);
    expect(Math.max(...times)).toBeLessThanOrEqual(Date.now());
    // a year of months: something happened in at least 12 of the last 13 calendar months
    expect(new Set(events.map((e) => e.at.slice(0, 7))).size).toBeGreaterThanOrEqual(12);
    const note = events.find((e) => e.type === 'seed.simulated_clock');
    expect(note).toBeTruthy();
    const { from, to } = note!.data as { from: string; to: string };
    expect((Date.parse(to) - Date.parse(from)) / DAY).toBeGreaterThanOrEqual(300);
    expect(Date.parse(note!.at)).toBeGreaterThan(Date.parse(to)); // written on the real clock, after
  });
});
