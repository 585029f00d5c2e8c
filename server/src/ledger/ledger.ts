import { AsyncLocalStorage } from 'node:async_hooks';
import type { Collection, Db } from 'mongodb';
import { currentActor, type Actor } from '../platform/context.ts';
import { declareIndexes, isDuplicateKey } from '../platform/db/mongo.ts';
import { errors } from '../platform/errors.ts';
import { canonicalCopy, GENESIS_HASH, hashEvent, type LedgerEvent } from './event.ts';
import type { EventSealer } from './sealKey.ts';
import { assertStorable } from './storable.ts';
import { nowIso } from '../platform/clock.ts';

export const EVENTS = 'ledger_events';
declareIndexes(EVENTS, [{ key: { stream: 1, version: 1 }, name: 'stream_version', unique: true }]);

/**
 * Each event's _id is `<stream>|<version, 10 digits>`. The embedded engine (FerretDB on SQLite)
 * answers only _id equality from an index; every other filter decodes the whole collection. So
 * the hot paths (a stream's head, a stream's events) are answered by _id lookups alone, and the
 * _id doubles as the optimistic-concurrency guard. The (stream, version) index serves MongoDB.
 */
export const eventId = (stream: string, version: number) => `${stream}|${String(version).padStart(10, '0')}`;
type StoredEvent = LedgerEvent & { _id: string };

export interface AppendOptions {
  expectedVersion?: number;
  reason?: string;
  actor?: Actor;
}
type Listener = (e: LedgerEvent) => Promise<void>;

/** The appends a command computed but has not written yet (records/commandJournal.ts). */
interface Capture {
  events: LedgerEvent[];
  heads: Map<string, { version: number; hash: string }>;
}
const capturing = new AsyncLocalStorage<Capture>();

/**
 * The append-only ledger. Appends are optimistic: the next version is head+1 and the unique
 * (stream, version) index decides between concurrent writers; the loser gets CONFLICT and
 * nothing is written. There is no update or delete here, by design.
 */
export class Ledger {
  readonly events: Collection<LedgerEvent>;
  private stored: Collection<StoredEvent>;
  private heads = new Map<string, { version: number; hash: string }>();
  private complete = false;
  private listeners: Listener[] = [];
  /**
   * Events are immutable once written, so the ones this process appended or read are kept (LRU)
   * and a stream is re-read from the database only for what is not here. Verification reads
   * with `fresh` (and `ledger verify` reads the collection itself), so an edit made in the
   * database behind the ledger's back is always seen where it matters.
   */
  private cache = new Map<string, LedgerEvent>();
  static CACHE_EVENTS = 50_000;

  /** `sealer` seals every appended event with the key kept outside the database (sealKey.ts). */
  constructor(
    readonly db: Db,
    readonly sealer?: EventSealer,
  ) {
    this.events = db.collection<LedgerEvent>(EVENTS);
    this.stored = db.collection<StoredEvent>(EVENTS);
  }

  onAppended(fn: Listener) {
    this.listeners.push(fn);
  }
  /** A check before every append that may refuse it (the projector refuses writes to a record it cannot store). */
  beforeAppend(fn: (stream: string) => void | Promise<void>) {
    this.guards.push(fn);
  }
  private guards: Array<(stream: string) => void | Promise<void>> = [];
  onListenerError: (err: unknown, e: LedgerEvent) => void = (err) => {
    console.error(err);
  };

  /**
   * Loads every stream's head (one scan; since lookups by _id are indexed on the embedded engine
   * too, start-up no longer waits for it: boot runs it in the background, and until it is done
   * head() asks the database by _id for a stream it has not met yet). Once complete, head() of an
   * unknown stream is answered without a query. Appends by another server show up as a CONFLICT
   * on our next append to that stream, which re-reads its head. Called twice, it scans once.
   */
  loadHeads(): Promise<void> {
    this.loading ??= this.scanHeads().catch((err) => {
      this.loading = null; // a later call tries again
      throw err;
    });
    return this.loading;
  }
  private loading: Promise<void> | null = null;

  private async scanHeads(): Promise<void> {
    const heads = new Map<string, { version: number; hash: string }>();
    for await (const e of this.events.find({}, { projection: { _id: 0, stream: 1, version: 1, hash: 1 } })) {
      const h = heads.get(e.stream);
      if (!h || e.version > h.version) heads.set(e.stream, { version: e.version, hash: e.hash });
    }
    // merged, never swapped in: an append that landed during the scan keeps its newer head
    for (const [stream, h] of heads) this.rememberHead(stream, h.version, h.hash);
    this.complete = true;
  }

  async head(stream: string): Promise<{ version: number; hash: string } | null> {
    const planned = capturing.getStore()?.heads.get(stream);
    if (planned) return planned;
    const known = this.heads.get(stream);
    if (known) return known;
    if (this.complete) return null;
    return this.probeHead(stream, 0);
  }

  /** Finds the head by _id lookups from a version known to exist (gallop, then bisect). */
  private async probeHead(stream: string, knownVersion: number): Promise<{ version: number; hash: string } | null> {
    if (knownVersion === 0 && !(await this.has(stream, 1))) return null;
    let lo = Math.max(1, knownVersion),
      step = 1;
    let hi = lo + step;
    while (await this.has(stream, hi)) {
      lo = hi;
      step *= 2;
      hi = lo + step;
    }
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (await this.has(stream, mid)) lo = mid;
      else hi = mid;
    }
    const last = await this.stored.findOne({ _id: eventId(stream, lo) }, { projection: { version: 1, hash: 1 } });
    if (!last) return this.heads.get(stream) ?? null;
    // a probe that started before a concurrent append finishes with an older head: it must never
    // replace the newer one (that wedged a record until restart, issue 9 finding 17)
    return this.rememberHead(stream, last.version, last.hash);
  }

  private async has(stream: string, version: number): Promise<boolean> {
    return (await this.stored.findOne({ _id: eventId(stream, version) }, { projection: { _id: 1 } })) !== null;
  }

  async append<D extends Record<string, unknown>>(
    stream: string,
    type: string,
    data: D,
    opts: AppendOptions = {},
  ): Promise<LedgerEvent<D>> {
    // before anything is read or taken: text or numbers the store cannot keep as hashed are refused
    assertStorable({ stream, type, data, reason: opts.reason, actor: opts.actor });
    for (const guard of this.guards) await guard(stream);
    let head = await this.head(stream);
    if (opts.expectedVersion !== undefined && opts.expectedVersion > (head?.version ?? 0)) {
      head = await this.probeHead(stream, head?.version ?? 0); // another server may have appended
    }
    const current = head?.version ?? 0;
    if (opts.expectedVersion !== undefined && opts.expectedVersion !== current)
      throw errors.staleVersion(opts.expectedVersion, current);
    const body: Omit<LedgerEvent<D>, 'hash'> = {
      stream,
      version: current + 1,
      type,
      at: nowIso(),
      actor: canonicalCopy(opts.actor ?? currentActor()),
      data: canonicalCopy(data),
      prevHash: head?.hash ?? GENESIS_HASH,
    };
    if (opts.reason !== undefined) body.reason = opts.reason;
    const hash = hashEvent(body as Omit<LedgerEvent, 'hash'>);
    const event = { ...body, hash, ...(this.sealer ? { seal: this.sealer.seal(hash) } : {}) } as LedgerEvent<D>;
    const capture = capturing.getStore();
    if (capture) {
      // computed in full, written later by the command journal (which calls the listeners then)
      capture.events.push(deepFreeze(event as LedgerEvent));
      capture.heads.set(stream, { version: event.version, hash: event.hash });
      return event;
    }
    try {
      await this.stored.insertOne({ _id: eventId(stream, event.version), ...(event as LedgerEvent) });
    } catch (err) {
      if (isDuplicateKey(err)) {
        await this.probeHead(stream, head?.version ?? 0); // learn the head the winner left
        throw errors.conflict({ stream, version: event.version });
      }
      throw err;
    }
    this.rememberHead(stream, event.version, event.hash);
    this.remember(eventId(stream, event.version), event as LedgerEvent);
    // The event is committed. A projection that fails here is caught up from the ledger later
    // (next event on the stream, or start-up), so its error must not undo the append's success.
    for (const l of this.listeners)
      await l(event as LedgerEvent).catch((err) => this.onListenerError(err, event as LedgerEvent));
    return event;
  }

  /** For commutative events (a login, a failed attempt): retry on a lost race instead of failing. */
  async appendWithRetry<D extends Record<string, unknown>>(
    stream: string,
    type: string,
    data: D,
    opts: Omit<AppendOptions, 'expectedVersion'> = {},
  ) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.append(stream, type, data, opts);
      } catch (err) {
        if (attempt >= 20 || (err as { code?: string }).code !== 'CONFLICT') throw err;
        await new Promise((r) => setTimeout(r, Math.random() * 10 * (attempt + 1)));
      }
    }
  }

  /**
   * Runs `fn` with every append computed (version, hash, seal) but not written: reads and heads
   * see the planned events, nothing reaches the database or the listeners. Returns them in order.
   * Inside a capture already, `fn` simply joins it.
   */
  async capture<T>(
    fn: () => Promise<T>,
  ): Promise<{ ok: true; result: T; events: LedgerEvent[] } | { ok: false; error: unknown; events: LedgerEvent[] }> {
    if (capturing.getStore()) return { ok: true, result: await fn(), events: [] };
    const c: Capture = { events: [], heads: new Map() };
    try {
      return { ok: true, result: await capturing.run(c, fn), events: c.events };
    } catch (error) {
      return { ok: false, error, events: c.events };
    }
  }
  static isCapturing(): boolean {
    return capturing.getStore() !== undefined;
  }

  /**
   * Writes one event computed earlier (by a capture) exactly as it is: CONFLICT when its version
   * is taken. Then the listeners run, as after any append.
   */
  async insertPlanned(event: LedgerEvent): Promise<void> {
    try {
      await this.stored.insertOne({ _id: eventId(event.stream, event.version), ...event });
    } catch (err) {
      if (isDuplicateKey(err)) {
        await this.probeHead(event.stream, 0);
        throw errors.conflict({ stream: event.stream, version: event.version });
      }
      throw err;
    }
    this.rememberHead(event.stream, event.version, event.hash);
    this.remember(eventId(event.stream, event.version), event);
    for (const l of this.listeners) await l(event).catch((err) => this.onListenerError(err, event));
  }

  /**
   * Appends a planned event at the stream's head as it is now (its version was taken meanwhile):
   * same type, data, actor, time and reason, chained and sealed anew.
   */
  async rechain(planned: LedgerEvent): Promise<LedgerEvent> {
    for (let attempt = 0; ; attempt++) {
      const head = await this.head(planned.stream);
      const body: Omit<LedgerEvent, 'hash'> = {
        stream: planned.stream,
        version: (head?.version ?? 0) + 1,
        type: planned.type,
        at: planned.at,
        actor: planned.actor,
        data: planned.data,
        prevHash: head?.hash ?? GENESIS_HASH,
      };
      if (planned.reason !== undefined) body.reason = planned.reason;
      const hash = hashEvent(body);
      const event = { ...body, hash, ...(this.sealer ? { seal: this.sealer.seal(hash) } : {}) } as LedgerEvent;
      try {
        await this.insertPlanned(event);
        return event;
      } catch (err) {
        if (attempt >= 60 || (err as { code?: string }).code !== 'CONFLICT') throw err;
      }
    }
  }

  /** The stream's head as the database has it now (another server, or a crashed process, may have moved it). */
  async freshHead(stream: string): Promise<{ version: number; hash: string } | null> {
    return this.probeHead(stream, 0);
  }

  /** A stream's events 1..upTo (default: its head), in order: from memory, else fetched by _id a few at a time. */
  async read(stream: string, upTo?: number, opts: { fresh?: boolean } = {}): Promise<LedgerEvent[]> {
    const planned = capturing.getStore()?.events.filter((e) => e.stream === stream) ?? [];
    if (planned.length) {
      const last = upTo ?? planned.at(-1)!.version;
      const base = planned[0].version - 1;
      const before = await capturing.exit(() => this.read(stream, Math.min(last, base), opts));
      return [...before, ...planned.filter((e) => e.version <= last)];
    }
    const last = upTo ?? (await this.head(stream))?.version ?? 0;
    const out: LedgerEvent[] = new Array(last);
    const missing: number[] = [];
    for (let v = 1; v <= last; v++) {
      const hit = opts.fresh ? undefined : this.recall(eventId(stream, v));
      if (hit) out[v - 1] = hit;
      else missing.push(v);
    }
    const BATCH = 8;
    for (let i = 0; i < missing.length; i += BATCH) {
      await Promise.all(
        missing.slice(i, i + BATCH).map(async (v) => {
          const e = (await this.stored.findOne(
            { _id: eventId(stream, v) },
            { projection: { _id: 0 } },
          )) as LedgerEvent | null;
          if (e) {
            out[v - 1] = e;
            if (!opts.fresh) this.remember(eventId(stream, v), e);
          }
        }),
      );
    }
    return out.filter(Boolean);
  }

  private recall(id: string): LedgerEvent | undefined {
    const e = this.cache.get(id);
    if (e) {
      this.cache.delete(id);
      this.cache.set(id, e);
    }
    return e;
  }

  private remember(id: string, e: LedgerEvent) {
    this.cache.set(id, deepFreeze(e));
    if (this.cache.size > Ledger.CACHE_EVENTS) this.cache.delete(this.cache.keys().next().value!);
  }

  /** Events in the ledger as this process knows them: versions are contiguous, so the sum of heads. */
  async count(): Promise<number> {
    if (!this.complete) await this.loadHeads();
    return this.countKnown()!;
  }

  /** The count when every head is known (null while the start-up scan runs): never waits for a scan. */
  countKnown(): number | null {
    if (!this.complete) return null;
    let n = 0;
    for (const h of this.heads.values()) n += h.version;
    return n;
  }

  /** The heads this process knows; `complete` once loadHeads ran (incremental checkpoints start from them). */
  knownHeads(): { complete: boolean; heads: ReadonlyMap<string, { version: number; hash: string }> } {
    return { complete: this.complete, heads: this.heads };
  }

  /** Forget known heads (after a test edits the database behind the ledger's back, say). */
  forgetHeads() {
    for (const t of this.trackers) t.moved = null;
    this.heads.clear();
    this.cache.clear();
    this.complete = false;
    this.loading = null;
  }

  /** Heads only move forward; returns the head now known (which may be newer than the one given). */
  private rememberHead(stream: string, version: number, hash: string): { version: number; hash: string } {
    const known = this.heads.get(stream);
    if (known && known.version >= version) return known;
    const head = { version, hash };
    this.heads.set(stream, head);
    for (const t of this.trackers) t.moved?.add(stream);
    return head;
  }

  private trackers: Array<{ moved: Set<string> | null }> = [];
  /**
   * Follows which known heads move: `take()` gives the streams whose head moved since the last
   * take, or null when any may have (the first take, or after `forgetHeads`): compare them all.
   * The checkpoint after a signature asks it instead of comparing 100k heads each time.
   */
  trackHeads(): { take(): Set<string> | null } {
    const t: { moved: Set<string> | null } = { moved: null };
    this.trackers.push(t);
    return {
      take: () => {
        const moved = t.moved;
        t.moved = new Set();
        return moved;
      },
    };
  }
}

/** Cached events are shared by every reader: freezing them turns an accidental mutation into an error. */
function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as object)) deepFreeze(v);
  }
  return o;
}
