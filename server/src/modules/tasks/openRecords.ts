import type { Collection, WithId } from 'mongodb';
import type { Services } from '../../platform/services.ts';
import type { RecordType } from '../../records/registry.ts';
import { INDEX_CHANGES, ProjectionIndex } from '../../records/memoryIndex.ts';

/**
 * The records of one type that may still put work in someone's inbox (`name`: which ones, decided
 * by `isOpen` on the stored projection), held in process for the task sources. A filter query on
 * the embedded engine scans and decodes the whole collection (bench/requestCosts: 28 database round
 * trips per inbox view, most of them such scans); here each source costs one _id lookup of the
 * change feed when nothing changed (ProjectionIndex.catchUp), so a write on another server shows in
 * this server's inbox at the next view. A record that is not open is held as `null` (its id only).
 *
 * The records returned are shared between requests: read them, never change them.
 */
export function openRecords<D>(
  s: Services,
  type: RecordType<object>,
  name: string,
  isOpen: (doc: D) => boolean,
): Promise<D[]> {
  const key = `${type.type}:${name}`;
  let mine = indexes.get(s);
  if (!mine) indexes.set(s, (mine = new Map()));
  let ready = mine.get(key) as Promise<ProjectionIndex<D | null>> | undefined;
  if (!ready) {
    const index = new ProjectionIndex<D | null>(s, type, (doc) => (isOpen(doc as D) ? (doc as D) : null));
    ready = index.refreshAll().then(() => index);
    ready.catch(() => mine.delete(key));
    mine.set(key, ready);
  }
  return ready.then(async (index) => {
    await index.catchUpTo(await feedHead(s, index.feedId));
    return index.memo('open', (rows) => rows.filter((d): d is D => d !== null));
  });
}

/**
 * How long a read of the change feed's head serves the inbox of this server. Its own writes reach its
 * indexes at once (ProjectionIndex listens to its ledger); another server's within this window plus
 * one catch-up, well inside the 1 s the servers must agree within (issue 14 item 4).
 */
export const FEED_FRESH_MS = 200;

/**
 * The change feed's head of `collection` (memoryIndex.ts), from one read of every head at once
 * (the feed holds two small documents per record collection: reading them all is one round trip
 * of a few kB, where an _id lookup per source was ~20 round trips a view), shared by every source
 * and request asking within FEED_FRESH_MS.
 */
async function feedHead(s: Services, collection: string): Promise<number> {
  const known = heads.get(s);
  if (known && performance.now() - known.at < FEED_FRESH_MS) return (await known.all).get(collection) ?? 0;
  const all = s.db
    .collection<{ _id: string; seq?: number }>(INDEX_CHANGES)
    .find({}, { projection: { seq: 1 } })
    .toArray()
    .then((docs) => new Map(docs.map((d) => [String(d._id), d.seq ?? 0])));
  const entry = { at: performance.now(), all };
  heads.set(s, entry);
  all.catch(() => heads.get(s) === entry && heads.delete(s));
  return (await all).get(collection) ?? 0;
}
const heads = new WeakMap<Services, { at: number; all: Promise<Map<string, number>> }>();
/** The stored document of a module's collection accessor (`DocOf<typeof inspections>`). */
export type DocOf<F> = F extends (s: Services) => Collection<infer T> ? WithId<T> : never;

const indexes = new WeakMap<Services, Map<string, Promise<ProjectionIndex<unknown>>>>();

/** `rows` ordered by `key` like the database's sort on it (ascending, or descending with `-1`), at most `limit` of them. */
export function sortedBy<D>(
  rows: readonly D[],
  key: (d: D) => string | number,
  dir: 1 | -1 = 1,
  limit = Infinity,
): D[] {
  return [...rows]
    .sort((a, b) => {
      const x = key(a);
      const y = key(b);
      return (x < y ? -1 : x > y ? 1 : 0) * dir;
    })
    .slice(0, limit);
}
