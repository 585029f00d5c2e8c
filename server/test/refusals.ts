import { expect } from 'vitest';
import type { Services } from '../src/platform/services.ts';
import { EVENTS } from '../src/ledger/ledger.ts';

// What every record type's refusal test checks (issue 10): a refused action — wrong role,
// separation of duties, wrong password, stale version — writes nothing at all. Only a wrong
// password leaves its failed attempt on the signer's own account (21 CFR 11.300(d)); no number
// is allocated (sequence streams keep their heads) and the record's stream does not move.

export interface LedgerMark {
  total: number;
  sequences: number;
  byStream: Map<string, number>;
}

/** The ledger's size now: every event, the events of sequence streams (numbers), per stream. */
export async function markLedger(s: Services): Promise<LedgerMark> {
  const all = await s.db
    .collection(EVENTS)
    .find({}, { projection: { _id: 0, stream: 1 } })
    .toArray();
  const byStream = new Map<string, number>();
  for (const e of all) byStream.set(e.stream as string, (byStream.get(e.stream as string) ?? 0) + 1);
  return { total: all.length, sequences: all.filter((e) => String(e.stream).startsWith('sequence:')).length, byStream };
}

/**
 * Asserts nothing was written since `before`, except `allowed` events on user streams (a wrong
 * password's failed attempt: `allowUserEvents` of them).
 */
export async function expectNothingWritten(s: Services, before: LedgerMark, opts: { allowUserEvents?: number } = {}) {
  const now = await markLedger(s);
  const grown = [...now.byStream]
    .filter(([stream, n]) => n !== (before.byStream.get(stream) ?? 0))
    .map(([stream, n]) => ({ stream, added: n - (before.byStream.get(stream) ?? 0) }));
  const outsideUsers = grown.filter((g) => !g.stream.startsWith('user:'));
  expect(outsideUsers, 'events appended by a refused action').toEqual([]);
  expect(now.sequences, 'numbers allocated by a refused action').toBe(before.sequences);
  const onUsers = grown.filter((g) => g.stream.startsWith('user:')).reduce((n, g) => n + g.added, 0);
  expect(onUsers, 'events on user accounts').toBeLessThanOrEqual(opts.allowUserEvents ?? 0);
}
