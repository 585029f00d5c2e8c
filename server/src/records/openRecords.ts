import type { Collection, WithId } from 'mongodb';
import type { Services } from '../platform/services.ts';
import type { RecordType } from './registry.ts';
import { ProjectionIndex } from './memoryIndex.ts';
import { Ledger } from '../ledger/ledger.ts';

/**
 * True inside a command (records/command.ts captures its writes): a rule judged there reads the
 * database (exact at this instant); a page or the inbox judging the same rule may read the
 * in-process indexes (`openRecords`: another server's write within 1 s).
 */
export const inCommand = (): boolean => Ledger.isCapturing();

/**
 * The records of one type that `isOpen` keeps (`name` names that choice: one name, one predicate
 * everywhere, since a name shares its index; `'all'` with \`() => true\` for a whole list), held in
 * process for the inbox's task sources and the list screens. A filter query on
 * the embedded engine scans and decodes the whole collection (bench/requestCosts: 28 database round
 * trips per inbox view, most of them such scans); here a source costs no round trip when nothing
 * changed (ProjectionIndex.catchUp), and a write on another server shows in this server's inbox
 * within 1 s. A record that is not open is held as `null` (its id only).
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
    await index.catchUp();
    return index.memo('open', (rows) => rows.filter((d): d is D => d !== null));
  });
}

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
