import type { Collection, Db } from 'mongodb';
import type { RingDoc } from './changeRing.ts';

/** How often a watched counter is read in the background, and how old a read may be before a request waits for a fresh one. */
export const POLL_MS = 250;
export const MAX_STALE_MS = 1_000;

/**
 * One change counter (a `seq` document of a change feed, platform/db/changeRing.ts) read on a
 * background timer, so that a request can learn "has anything changed on another server?" without
 * a database round trip of its own (issue 14 item 6: the embedded engine is the bottleneck).
 *
 * A value is served only while the read that produced it STARTED less than MAX_STALE_MS ago: a
 * change whose counter was bumped before that read began is counted in it. When the timer falls
 * behind (a busy engine, a lost connection), callers wait for one shared fresh read instead. So a
 * server that trusts the value applies another server's write within MAX_STALE_MS of its commit
 * (issue 14 item 4: the servers agree within 1 s), whatever the load.
 *
 * `onRead(seq)` runs after each read, before its value is served (a cache drops what the feed
 * announced there); concurrent reads are shared.
 */
export class CounterWatch {
  private seq: number | null = null;
  private syncedAt = -Infinity;
  private reading: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** reads made (for the benchmark and the tests) */
  polls = 0;

  constructor(
    private db: Db,
    private collection: string,
    private id: string,
    private onRead: (seq: number) => Promise<void> = async () => undefined,
  ) {}

  private col(): Collection<RingDoc> {
    return this.db.collection<RingDoc>(this.collection);
  }

  /** Starts the background reads (once; a closed database client ends them). */
  start(): this {
    if (this.timer) return this;
    this.timer = setInterval(() => void this.read().catch(() => undefined), POLL_MS);
    this.timer.unref();
    this.db.client.once('topologyClosed', () => this.stop()); // the server stopped: no reconnecting to read the feed
    return this;
  }
  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The counter from a read that started less than MAX_STALE_MS ago (after one shared read if needed), or null if none could be made. */
  async current(): Promise<number | null> {
    for (let i = 0; i < 2; i++) {
      if (this.isFresh()) return this.seq;
      await this.read().catch(() => undefined);
    }
    return this.isFresh() ? this.seq : null;
  }

  private isFresh() {
    return this.seq !== null && Date.now() - this.syncedAt < MAX_STALE_MS;
  }

  /** Reads the counter now (concurrent callers share one read). */
  read(): Promise<void> {
    this.reading ??= this.doRead().finally(() => {
      this.reading = null;
    });
    return this.reading;
  }

  private async doRead() {
    const started = Date.now();
    this.polls++;
    let doc: RingDoc | null;
    try {
      doc = await this.col().findOne({ _id: this.id }, { projection: { seq: 1 } });
    } catch (err) {
      const name = (err as Error).name;
      if (name === 'MongoNotConnectedError' || name === 'MongoTopologyClosedError') this.stop(); // the server stopped
      throw err;
    }
    const seq = doc?.seq ?? 0;
    await this.onRead(seq);
    this.seq = seq;
    this.syncedAt = started;
  }
}
