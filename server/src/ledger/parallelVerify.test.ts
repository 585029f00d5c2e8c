import { describe, expect, it } from 'vitest';
import { verifyAll } from './verify.ts';
import { sealFindings, verifySeals } from './sealVerify.ts';
import { verifyParallel } from './parallelVerify.ts';
import { syntheticEvents, throwawaySealer } from './synthetic.ts';
import { hashEvent, type LedgerEvent } from './event.ts';

// The parallel verification must find exactly what the single-threaded one finds (verifyAll +
// verifySeals), on an intact ledger and on one edited, re-hashed, unsealed, deleted and reordered.
describe('verifyParallel (worker threads, stream by stream)', () => {
  const sealer = throwawaySealer();
  const single = (events: LedgerEvent[], sealKey?: string, legacy = new Map<string, number>()) => {
    const chains = verifyAll(events);
    return { findings: chains.findings, seals: verifySeals(events, sealKey, legacy), chains };
  };

  it('passes an intact ledger with the same counts and heads', async () => {
    const events = [...syntheticEvents(3000, 70, sealer)];
    const r = await verifyParallel(events, { sealKey: sealer.publicKey, workers: 2, batchEvents: 100 });
    const s = single(events, sealer.publicKey);
    expect(r.findings).toEqual([]);
    expect(r.sealFindings).toEqual([]);
    expect(r.events).toBe(3000);
    expect(r.streams).toBe(70);
    expect([...r.heads].map(([k, h]) => [k, h.version, h.hash])).toEqual(
      [...s.chains.heads].map(([k, e]) => [k, e.version, e.hash]),
    );
  });

  it('names every tampered event as the single-threaded verification does', async () => {
    const events = [...syntheticEvents(2000, 40, sealer)];
    const at = (stream: number, version: number) =>
      events.findIndex((e) => e.stream.endsWith(String(stream).padStart(7, '0')) && e.version === version);
    // edited content, hash left
    events[at(1, 3)] = { ...events[at(1, 3)], data: { qty: 9999 } };
    // edited and re-hashed (the chain breaks at the next event and the seal fails)
    const rehashed = { ...events[at(5, 10)], data: { qty: 1 } };
    events[at(5, 10)] = { ...rehashed, hash: hashEvent(rehashed) };
    // a seal removed, and one from another event
    const { seal: _drop, ...unsealed } = events[at(9, 2)];
    events[at(9, 2)] = unsealed as LedgerEvent;
    events[at(12, 4)] = { ...events[at(12, 4)], seal: events[at(12, 5)].seal };
    // a deleted event
    events.splice(at(20, 7), 1);

    const s = single(events, sealer.publicKey);
    const r = await verifyParallel(events, { sealKey: sealer.publicKey, workers: 2, batchEvents: 150 });
    const named = new Set(s.findings.map((f) => `${f.stream.slice(-2)}:${f.kind}`));
    expect([...named].sort()).toEqual(['01:edited', '05:edited', '20:deleted']);
    expect(s.seals.map((f) => f.kind).sort()).toEqual(['bad-seal', 'bad-seal', 'unsealed']);
    expect(r.findings).toEqual(s.findings);
    expect(r.sealFindings).toEqual(s.seals);
  });

  it('without a certified seal key counts the seals it cannot check, in one finding', async () => {
    const events = [...syntheticEvents(500, 5, sealer)];
    const r = await verifyParallel(events, { workers: 2, batchEvents: 100 });
    expect(r.sealFindings).toEqual(single(events).seals);
    expect(r.sealFindings[0].detail).toContain('500 seal(s)');
  });

  it('checks the seals of the events no checkpoint covers, and every seal of a stream whose sealed head no longer matches', async () => {
    const events = [...syntheticEvents(2000, 40, sealer)];
    // a checkpoint sealed every stream up to version 49 of 50
    const sealed = new Map(
      events.filter((e) => e.version === 49).map((e) => [e.stream, { version: 49, hash: e.hash }]),
    );
    const streamOf = (n: number) => events[0].stream.replace(/\d{7}$/, String(n).padStart(7, '0'));
    const rehash = (stream: string, from: number, change: Record<string, unknown>) => {
      for (let i = 0; i < events.length; i++) {
        const e = events[i];
        if (e.stream !== stream || e.version < from) continue;
        const body = { ...e, ...(e.version === from ? { data: change } : {}), prevHash: events[i - 1].hash };
        events[i] = { ...body, hash: hashEvent(body) }; // the seal is left as it was: only the key could renew it
      }
    };
    rehash(streamOf(3), 10, { qty: 1 }); // covered: the forger re-hashes to the head, past the sealed one
    rehash(streamOf(7), 50, { qty: 2 }); // the uncovered tail: only its seal can tell
    const r = await verifyParallel(events, { sealKey: sealer.publicKey, workers: 2, batchEvents: 150, sealed });
    const one = sealFindings(events, sealer.publicKey, new Map(), { sealed });
    expect(r.findings).toEqual([]); // the chains are consistent: the sealed head (audit.ts) and the seals name it
    expect(r.sealFindings).toEqual(one.findings);
    expect(r.sealFindings.map((f) => `${f.stream.slice(-2)}:${f.version}:${f.kind}`)).toEqual([
      ...Array.from({ length: 41 }, (_, i) => `03:${i + 10}:bad-seal`),
      '07:50:bad-seal',
    ]);
    // 39 intact streams: their last event only; stream 3: all 50, its sealed head no longer matching
    expect(r.seals).toEqual({ checked: 39 + 50, covered: 39 * 49 });
    expect(one.checked).toBe(89);
    // with no coverage (--all-seals) every seal is checked, and the same two streams are named
    const all = await verifyParallel(events, { sealKey: sealer.publicKey, workers: 2, batchEvents: 150 });
    expect(all.seals).toEqual({ checked: 2000, covered: 0 });
    expect(all.sealFindings).toEqual(r.sealFindings);
  });
});
