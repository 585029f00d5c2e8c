import type { Services } from '../platform/services.ts';
import type { LedgerEvent } from '../ledger/event.ts';
import { recordTypeOf, streamId, type RecordType } from './registry.ts';
import { announceChange, readChanges, type RingDoc } from '../platform/db/changeRing.ts';
import { CounterWatch } from '../platform/db/counterWatch.ts';
import { laterInCommand } from './commandJournal.ts';

/**
 * The change feed that keeps several servers' indexes in step (platform/db/changeRing.ts): per
 * projection collection, a counter in `index_changes` (`_id` = the collection) bumped after every
 * append to a stream of that collection's type (after the projection is written), and a ring of
 * the last changed record ids beside it (`<collection>|ring`). One more counter, ANY_CHANGE, is
 * bumped after each collection's: every server reads it on a timer (platform/db/counterWatch.ts),
 * so an index asked for a read learns that nothing changed anywhere without a round trip of its
 * own, and reads its collection's counter only when ANY_CHANGE moved.
 */
export const INDEX_CHANGES = 'index_changes';
export const ANY_CHANGE = '*';
/** How long a slot announced by the counter but not yet written may be waited for (a writer that died between its two writes). */
const SLOT_WAIT_MS = 2_000;
const ringOf = (collection: string) => `${collection}|ring`;
const versionOf = (doc: Record<string, any>) => (typeof doc.ledgerVersion === 'number' ? doc.ledgerVersion : 0);

/** Records every append to a record stream in the feed (installed once per server, in boot). */
export function installChangeFeed(s: Services) {
  const feed = s.db.collection<RingDoc>(INDEX_CHANGES);
  s.ledger.onAppended(async (e: LedgerEvent) => {
    const type = recordTypeOf(e.stream);
    if (!type) return;
    // once per record per command: a later event of the same command on this stream announces it
    // (readers re-read the record, not the event); ANY_CHANGE once, after the command's last record event
    if (!laterInCommand((x) => x.stream === e.stream))
      await announceChange(feed, { head: type.collection, ring: ringOf(type.collection) }, streamId(e.stream));
    // after the collection's own counter: a reader that sees this bump finds that one bumped too
    if (!laterInCommand((x) => recordTypeOf(x.stream) !== undefined))
      await feed.updateOne({ _id: ANY_CHANGE }, { $inc: { seq: 1 } }, { upsert: true });
  });
}

const anyChangeWatches = new WeakMap<Services, CounterWatch>();
/** This server's background read of ANY_CHANGE (started on first use). */
function anyChange(s: Services): CounterWatch {
  let w = anyChangeWatches.get(s);
  if (!w) anyChangeWatches.set(s, (w = new CounterWatch(s.db, INDEX_CHANGES, ANY_CHANGE).start()));
  return w;
}

/**
 * An in-process, incrementally maintained index of one record type's projection, for list and
 * search screens over large collections: FerretDB on SQLite scans and decodes every document
 * for a regex or a multi-field filter, which is too slow at 100k records. The index holds a
 * small summary per record, loaded once at start-up and refreshed after every append to a
 * stream of that type (after the projector has applied it: listeners run in order).
 *
 * Appends made by another server process are caught up by `catchUp()` (called before each read
 * of the index): no round trip when ANY_CHANGE (read on a timer, trusted for 1 s) has not moved
 * since this index last caught up; else one _id lookup of the collection's change counter, and a
 * re-read of only the records changed since (see the change feed above).
 */
export class ProjectionIndex<T> {
  private byId = new Map<string, T>();
  /** the projection version each summary was made from (`ledgerVersion`) */
  private versions = new Map<string, number>();
  /** full reloads in progress, each told of the records taken meanwhile */
  private scans = new Set<Set<string>>();
  // derived views (a sort, a grouping, a pending list), reused until the index changes
  private memos = new Map<string, unknown>();
  private timer: NodeJS.Timeout | null = null;
  /** The feed position this index has applied, and since when a slot it needs has been missing. */
  private seen = 0;
  /** ANY_CHANGE as read before this index's last complete catch-up (null: none yet) */
  private anySeen: number | null = null;
  private slotMissingSince: number | null = null;
  private catching: Promise<void> | null = null;
  // told of each record whose summary this index replaced (`onChange`), and of each full reload
  // (`onReset`); typed loosely so that a ProjectionIndex<T> stays assignable to ProjectionIndex<unknown>
  private changeListeners: Array<(id: string, before: any, after: any) => void> = [];
  private resetListeners: Array<() => void> = [];
  constructor(
    private s: Services,
    private type: RecordType<any>,
    private summarize: (doc: Record<string, any>) => T,
  ) {
    // this server's own writes: the document the projector has just stored, without reading it back
    s.projector.onProjected((collection, doc) => {
      if (collection === type.collection) this.take(String(doc._id), doc, true);
    });
  }

  async refreshAll(): Promise<void> {
    // the position is read before the scan: a change made during it is applied again (harmless)
    const position = await this.position();
    const next = new Map<string, T>();
    const versions = new Map<string, number>();
    const taken = new Set<string>(); // records this server wrote while the scan ran: what it took stays
    this.scans.add(taken);
    try {
      for await (const doc of this.s.db.collection(this.type.collection).find({})) {
        next.set(String(doc._id), this.summarize(doc));
        versions.set(String(doc._id), versionOf(doc));
      }
    } finally {
      this.scans.delete(taken);
    }
    for (const id of taken) {
      if (this.byId.has(id)) next.set(id, this.byId.get(id)!);
      if (this.versions.has(id)) versions.set(id, this.versions.get(id)!);
    }
    this.byId = next;
    this.versions = versions;
    this.memos.clear();
    this.seen = Math.max(this.seen, position);
    this.slotMissingSince = null;
    for (const l of this.resetListeners) l();
  }

  /**
   * Calls `listener(id, before, after)` after each record's summary is replaced (after the memos are
   * cleared; `before`/`after` undefined for a record new or gone), for derived views kept up to date
   * from the changed record alone. A full reload (`refreshAll`) calls the `onReset` listeners instead.
   */
  onChange(listener: (id: string, before: T | undefined, after: T | undefined) => void): void {
    this.changeListeners.push(listener);
  }
  /** Calls `listener()` after every full reload: derived views rebuild from `values()`. */
  onReset(listener: () => void): void {
    this.resetListeners.push(listener);
  }

  private feed() {
    return this.s.db.collection<RingDoc>(INDEX_CHANGES);
  }
  private async position(): Promise<number> {
    const d = await this.feed().findOne({ _id: this.type.collection }, { projection: { seq: 1 } });
    return d?.seq ?? 0;
  }

  /** Applies the changes other servers made since the last call (concurrent callers share one catch-up). */
  catchUp(): Promise<void> {
    if (!this.catching)
      this.catching = this.catchUpIfAnyChanged().finally(() => {
        this.catching = null;
      });
    return this.catching;
  }

  private async catchUpIfAnyChanged(): Promise<void> {
    // read before this index's own counter: every change counted in `any` is in that counter too
    const any = await anyChange(this.s).current();
    if (any !== null && any === this.anySeen) return;
    if ((await this.doCatchUp()) && any !== null) this.anySeen = any;
  }

  /** Applies the feed up to its head; false when a slot it needs is not written yet. */
  private async doCatchUp(): Promise<boolean> {
    const head = await this.position();
    if (head === this.seen) return true;
    if (head < this.seen) return this.refreshAll().then(() => true); // a new database
    const read = await readChanges(this.feed(), ringOf(this.type.collection), this.seen, head);
    if (read.overwritten) return this.refreshAll().then(() => true); // too far behind
    if (read.missing) {
      // announced but not written yet: wait for it a little, then assume its writer died
      const now = Date.now();
      this.slotMissingSince ??= now;
      if (now - this.slotMissingSince > SLOT_WAIT_MS) return this.refreshAll().then(() => true);
    }
    if (read.upTo > this.seen) {
      this.slotMissingSince = null;
      await Promise.all([...new Set(read.keys)].map((id) => this.refresh(id)));
      this.seen = read.upTo;
    }
    return read.upTo === head;
  }

  async refresh(id: string): Promise<void> {
    this.take(id, await this.s.db.collection(this.type.collection).findOne({ _id: id as never }));
  }

  /**
   * Takes a record's projection document as stored (null: none). A document read back is refused
   * when a newer version is already held (a read that started before this server's own write); the
   * one the projector has just stored (`written`) is always taken: its guarded replace is what the
   * collection holds now, even after a version that was never real (a projection edited behind the
   * ledger's back, then repaired).
   */
  private take(id: string, doc: Record<string, any> | null, written = false) {
    if (doc && !written && (this.versions.get(id) ?? -1) > versionOf(doc)) return;
    for (const taken of this.scans) taken.add(id);
    const before = this.byId.get(id);
    const after = doc ? this.summarize(doc) : undefined;
    if (doc) {
      this.byId.set(id, after as T);
      this.versions.set(id, versionOf(doc));
    } else {
      this.byId.delete(id);
      this.versions.delete(id);
    }
    this.memos.clear();
    for (const l of this.changeListeners) l(id, before, after);
  }

  /** One record's summary (undefined if unknown). */
  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  /** A value derived from all summaries, computed once and kept until the next change. */
  memo<R>(name: string, compute: (rows: T[]) => R): R {
    if (!this.memos.has(name)) this.memos.set(name, compute([...this.byId.values()]));
    return this.memos.get(name) as R;
  }

  /** All summaries ordered by `key` (plain code-unit order), cached until the next change. */
  sortedBy(name: string, key: (t: T) => string): T[] {
    return this.memo(`sorted:${name}`, (rows) =>
      rows
        .map((t) => [key(t), t] as const)
        .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .map((r) => r[1]),
    );
  }

  /** A full reload every `seconds` as a safety net beside the change feed (each server sees its own appends at once). */
  startPolling(seconds: number) {
    if (this.timer || seconds <= 0) return;
    this.timer = setInterval(() => {
      this.refreshAll().catch((err) => this.s.logger.error({ err }, 'index refresh failed'));
    }, seconds * 1000);
    this.timer.unref();
  }

  values(): IterableIterator<T> {
    return this.byId.values();
  }
  get size() {
    return this.byId.size;
  }
}
