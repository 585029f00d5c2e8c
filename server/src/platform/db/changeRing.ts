import type { Collection } from 'mongodb';

/**
 * A change feed several servers read to learn what the others changed: a counter document
 * (`seq`, bumped by `$inc` after each change is written) and, beside it, a ring of the last RING
 * changed keys (slot `seq % RING` = `{ s: seq, id: key }`). Both are read by `_id` only, the one
 * lookup the embedded engine answers from an index; FerretDB ignores `$push`'s `$slice`, hence
 * the ring. Used by the projection indexes (records/memoryIndex.ts) and the session check's cache
 * (identity/authCache.ts); each decides what to do when the ring cannot vouch for a change.
 */
export const RING = 256;
export interface RingDoc {
  _id: string;
  seq?: number;
  r?: Record<string, { s: number; id: string }>;
}

/** Announces `key` as changed: the counter first, then its slot (a reader may see the count before the slot). */
export async function announceChange(
  col: Collection<RingDoc>,
  ids: { head: string; ring: string },
  key: string,
): Promise<void> {
  // (FerretDB implements no projection on findAndModify: the counter and the ring are two documents)
  const bumped = await col.findOneAndUpdate(
    { _id: ids.head },
    { $inc: { seq: 1 } },
    { upsert: true, returnDocument: 'after' },
  );
  const seq = bumped?.seq;
  if (seq)
    await col.updateOne({ _id: ids.ring }, { $set: { [`r.${seq % RING}`]: { s: seq, id: key } } }, { upsert: true });
}

export interface RingRead {
  /** The keys of changes seen+1 … upTo, in order. */
  keys: string[];
  upTo: number;
  /** Stopped at a slot announced by the counter but not written yet (its writer is between its two writes, or died there). */
  missing: boolean;
  /** Stopped at a slot already overwritten by a later change: the reader is more than RING behind. */
  overwritten: boolean;
}

/** The changes after `seen` up to `head` (the counter, read by the caller), from the ring document `ringId`. */
export async function readChanges(
  col: Collection<RingDoc>,
  ringId: string,
  seen: number,
  head: number,
): Promise<RingRead> {
  const out: RingRead = { keys: [], upTo: seen, missing: false, overwritten: head - seen >= RING };
  if (out.overwritten || head <= seen) return out;
  const ring = (await col.findOne({ _id: ringId }))?.r ?? {};
  for (let seq = seen + 1; seq <= head; seq++) {
    const slot = ring[String(seq % RING)];
    if (slot && slot.s > seq) return { ...out, overwritten: true };
    if (!slot || slot.s < seq) return { ...out, missing: true };
    out.keys.push(slot.id);
    out.upTo = seq;
  }
  return out;
}
