import type { Services } from '../platform/services.ts';
import type { LedgerEvent } from '../ledger/event.ts';
import { recordTypeOf, streamId, type RecordType } from './registry.ts';

/**
 * An in-process, incrementally maintained index of one record type's projection, for list and
 * search screens over large collections: FerretDB on SQLite scans and decodes every document
 * for a regex or a multi-field filter, which is too slow at 100k records. The index holds a
 * small summary per record, loaded once at start-up and refreshed after every append to a
 * stream of that type (after the projector has applied it: listeners run in order).
 *
 * Appends made by another server process reach this index on the next `refreshAll` (timer).
 */
export class ProjectionIndex<T> {
  private byId = new Map<string, T>();
  // derived views (a sort, a grouping, a pending list), reused until the index changes
  private memos = new Map<string, unknown>();
  private timer: NodeJS.Timeout | null = null;
  constructor(
    private s: Services,
    private type: RecordType<any>,
    private summarize: (doc: Record<string, any>) => T,
  ) {
    s.ledger.onAppended((e: LedgerEvent) =>
      recordTypeOf(e.stream) === type ? this.refresh(streamId(e.stream)) : Promise.resolve(),
    );
  }

  async refreshAll(): Promise<void> {
    const next = new Map<string, T>();
    for await (const doc of this.s.db.collection(this.type.collection).find({}))
      next.set(String(doc._id), this.summarize(doc));
    this.byId = next;
    this.memos.clear();
  }

  async refresh(id: string): Promise<void> {
    const doc = await this.s.db.collection(this.type.collection).findOne({ _id: id as never });
    if (doc) this.byId.set(id, this.summarize(doc));
    else this.byId.delete(id);
    this.memos.clear();
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

  /** Keeps a multi-server deployment in step (each server sees its own appends at once). */
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
