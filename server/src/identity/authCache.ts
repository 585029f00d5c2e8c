import type { Collection, Db, Document } from 'mongodb';
import { announceChange, readChanges, type RingDoc } from '../platform/db/changeRing.ts';
import { CounterWatch } from '../platform/db/counterWatch.ts';

/**
 * In-process cache of the rows the session check reads on every request: session rows, API token
 * rows and user documents, all by _id (issue 14 item 6: the check cost three engine round trips
 * per request — session, user, the throttled lastSeenAt write — on an engine that is the
 * bottleneck). Access control must not get weaker for it (21 CFR 11.10(d) limiting system access
 * to authorized individuals; 11.300 controls over identification codes and tokens), so:
 *
 * - On this server, every write that ends or narrows access (logout, idle timeout, lock, password
 *   change or reset, deactivation, TOTP reset, token revocation: SessionStore's write path; role,
 *   status and any other user change: every ledger append to a `user:` stream, seen through
 *   `ledger.onAppended` after the projector has written the user document) drops the cached rows
 *   before the request that made it answers. The very next request reads the database.
 * - Across servers, each such change is announced in one small feed: a counter document
 *   (`auth_changes/head`, `seq` bumped by `$inc`) and a ring of the last RING changed keys
 *   (`auth_changes/ring`, slot `seq % RING` = `{ s: seq, id: key }`), both read by _id only (the one
 *   lookup the embedded engine answers from an index; platform/db/changeRing.ts, the same feed the
 *   projection indexes use). The announcement is written after the change itself, so a server
 *   that reads the announcement re-reads the changed row. Every server reads the counter on a
 *   background timer (POLL_MS, unref'd) and drops the keys announced since its last read.
 * - The cache is trusted only while the last completed read of the counter STARTED less than
 *   MAX_STALE_MS ago: a change committed before that read began has been applied. When the timer
 *   falls behind (a busy engine, a lost connection), requests wait for one shared fresh read
 *   (one round trip for all of them) before a cache hit, so a change on another server takes
 *   effect there within MAX_STALE_MS (1 s) whatever the load.
 * - Anything the feed cannot vouch for drops the whole cache (safe, it re-reads): a counter that
 *   went backwards (a new or restored database), more than RING changes since the last read, or
 *   a slot announced but not yet written (its writer is between its two writes).
 * - Backstop: an entry is re-read from the database at least every TTL_MS, so a writer that died
 *   between its change and its announcement, or an edit made behind the application's back,
 *   is seen within that time as well.
 * - A read that started before an invalidation does not put its (possibly older) row back in the
 *   cache (a generation counter).
 */
export const AUTH_CHANGES = 'auth_changes';
const HEAD = 'head';
const RING_DOC = 'ring';
const TTL_MS = 60_000;

interface Entry<T> {
  row: T;
  at: number;
  userId: string;
}

/** Keys announced in the feed: a session by its _id, or everything of one user (doc, sessions, tokens). */
export const sessionKey = (id: string) => `s:${id}`;
export const userKey = (userId: string) => `u:${userId}`;

export class AuthCache {
  private sessions = new Map<string, Entry<unknown>>();
  private tokens = new Map<string, Entry<unknown>>();
  private users = new Map<string, Entry<unknown>>();
  /** bumped by every invalidation: a read that began before one does not store its row */
  generation = 0;
  private seen: number | null = null;
  private sweptAt = 0;
  /** the feed's counter, read every POLL_MS and trusted for MAX_STALE_MS (platform/db/counterWatch.ts) */
  private watch: CounterWatch;
  /** counters for the benchmark and the tests */
  readonly stats = { hits: 0, misses: 0, flushes: 0 };

  constructor(private db: Db) {
    this.watch = new CounterWatch(db, AUTH_CHANGES, HEAD, (seq) => this.apply(seq));
  }

  private feed(): Collection<RingDoc> {
    return this.db.collection<RingDoc>(AUTH_CHANGES);
  }

  /** Starts the background read of the feed (once; a stopped database client ends it). */
  start() {
    this.watch.start();
  }

  /** Reads the feed now and drops what other servers changed (concurrent callers share one read). */
  poll(): Promise<void> {
    return this.watch.read();
  }

  /** Drops what the feed announced since the last read (before the read's value is trusted). */
  private async apply(seq: number) {
    const started = Date.now();
    if (this.seen === null || seq < this.seen) {
      // the first read (rows cached before it may predate a change it counts), or a new database
      this.flush();
    } else if (seq > this.seen) {
      const read = await readChanges(this.feed(), RING_DOC, this.seen, seq);
      // a slot not written yet or already overwritten: whatever it named is not known, so drop everything
      if (read.missing || read.overwritten) this.flush();
      else for (const k of read.keys) this.drop(k);
    }
    this.seen = seq;
    if (started - this.sweptAt >= TTL_MS) this.sweep(started);
  }

  /** Forgets entries past their TTL (they would be re-read anyway): sessions used once do not stay in memory for good. */
  private sweep(now: number) {
    this.sweptAt = now;
    for (const m of [this.sessions, this.tokens, this.users])
      for (const [k, e] of m) if (now - e.at >= TTL_MS) m.delete(k);
  }

  /** Drops a key on this server at once and announces it to the others (after the change is written). */
  async changed(key: string): Promise<void> {
    this.drop(key);
    await announceChange(this.feed(), { head: HEAD, ring: RING_DOC }, key);
  }

  /** Drops a key on this server only. */
  drop(key: string) {
    this.generation++;
    const id = key.slice(2);
    if (key.startsWith('s:')) this.sessions.delete(id);
    else if (key.startsWith('u:')) {
      this.users.delete(id);
      for (const m of [this.sessions, this.tokens]) for (const [k, e] of m) if (e.userId === id) m.delete(k);
    }
  }

  flush() {
    this.generation++;
    this.stats.flushes++;
    this.sessions.clear();
    this.tokens.clear();
    this.users.clear();
  }

  session<T extends Document & { userId: string }>(c: Collection<T>, id: string): Promise<T | null> {
    return this.read(this.sessions as Map<string, Entry<T>>, c, id, (r) => r.userId);
  }
  token<T extends Document & { userId: string }>(c: Collection<T>, id: string): Promise<T | null> {
    return this.read(this.tokens as Map<string, Entry<T>>, c, id, (r) => r.userId);
  }
  user<T extends Document & { _id: string }>(c: Collection<T>, id: string): Promise<T | null> {
    return this.read(this.users as Map<string, Entry<T>>, c, id, (r) => r._id);
  }

  /** Puts a row this server has just written (a new session), or re-read when `generation` was current (none dropped since). */
  putSession<T extends { _id: string; userId: string }>(row: T, generation = this.generation) {
    if (generation === this.generation) this.sessions.set(row._id, { row, at: Date.now(), userId: row.userId });
  }

  private async read<T extends Document>(
    map: Map<string, Entry<T>>,
    c: Collection<T>,
    id: string,
    owner: (r: T) => string,
  ): Promise<T | null> {
    const hit = map.get(id);
    if (hit && Date.now() - hit.at < TTL_MS && (await this.watch.current()) !== null) {
      // (re-checked: the fresh read may have dropped it)
      const still = map.get(id);
      if (still) {
        this.stats.hits++;
        return still.row;
      }
    }
    this.stats.misses++;
    const generation = this.generation;
    const at = Date.now();
    const row = (await c.findOne({ _id: id } as never)) as T | null;
    // unknown ids are not kept (a missing row may yet be written); a row read across an invalidation is not kept either
    if (row && generation === this.generation) map.set(id, { row, at, userId: owner(row) });
    return row;
  }
}
