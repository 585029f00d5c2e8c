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
 * The change feed's head of `collection` (memoryIndex.ts): one _id lookup (the engine's indexed
 * read), shared by every source and request asking within FEED_FRESH_MS. At ~100 requests/s the
 * inbox's ~20 sources otherwise cost ~20 round trips a view to learn that nothing changed.
 */
function feedHead(s: Services, collection: string): Promise<number> {
  let mine = heads.get(s);
  if (!mine) heads.set(s, (mine = new Map()));
  const known = mine.get(collection);
  if (known && performance.now() - known.at < FEED_FRESH_MS) return known.head;
  const head = s.db
    .collection<{ _id: string; seq?: number }>(INDEX_CHANGES)
    .findOne({ _id: collection }, { projection: { seq: 1 } })
    .then((d) => d?.seq ?? 0);
  const entry = { at: performance.now(), head };
  mine.set(collection, entry);
  head.catch(() => mine.get(collection) === entry && mine.delete(collection));
  return head;
}
const heads = new WeakMap<Services, Map<string, { at: number; head: Promise<number> }>>();
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
