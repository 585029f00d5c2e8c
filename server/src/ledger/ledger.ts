import type { Collection, Db } from 'mongodb';
import { currentActor, type Actor } from '../platform/context.ts';
import { declareIndexes, isDuplicateKey } from '../platform/db/mongo.ts';
import { errors } from '../platform/errors.ts';
import { canonicalCopy, GENESIS_HASH, hashEvent, type LedgerEvent } from './event.ts';

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

export interface AppendOptions { expectedVersion?: number; reason?: string; actor?: Actor }
type Listener = (e: LedgerEvent) => Promise<void>;

/**
 * The append-only ledger. Appends are optimistic: the next version is head+1 and the unique
 * (stream, version) index decides between concurrent writers; the loser gets CONFLICT and
 * nothing is written. There is no update or delete here, by design.
 */
export class Ledger {
  readonly events: Collection<LedgerEvent>;
  private stored: Collection<StoredEvent>;
  private heads = new Map<string, { version: number; hash: string }>();
  private listeners: Listener[] = [];
  private counted: Promise<number> | null = null;
  private appendedHere = 0;

  constructor(readonly db: Db) {
    this.events = db.collection<LedgerEvent>(EVENTS);
    this.stored = db.collection<StoredEvent>(EVENTS);
  }

  onAppended(fn: Listener) { this.listeners.push(fn); }
  onListenerError: (err: unknown, e: LedgerEvent) => void = (err) => { console.error(err); };

  async head(stream: string): Promise<{ version: number; hash: string } | null> {
    const cached = this.heads.get(stream);
    if (cached) return cached;
    // versions are contiguous from 1: gallop, then bisect, with _id lookups only
    if (!(await this.has(stream, 1))) return null;
    let lo = 1, hi = 2;
    while (await this.has(stream, hi)) { lo = hi; hi *= 2; }
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (await this.has(stream, mid)) lo = mid; else hi = mid;
    }
    const last = await this.stored.findOne({ _id: eventId(stream, lo) }, { projection: { version: 1, hash: 1 } });
    if (!last) return null;
    this.rememberHead(stream, last.version, last.hash);
    return { version: last.version, hash: last.hash };
  }

  private async has(stream: string, version: number): Promise<boolean> {
    return (await this.stored.findOne({ _id: eventId(stream, version) }, { projection: { _id: 1 } })) !== null;
  }

  async append<D extends Record<string, unknown>>(stream: string, type: string, data: D, opts: AppendOptions = {}): Promise<LedgerEvent<D>> {
    let head = await this.head(stream);
    if (opts.expectedVersion !== undefined && opts.expectedVersion !== (head?.version ?? 0) && this.heads.has(stream)) {
      this.heads.delete(stream); // the cache may be behind another server's append
      head = await this.head(stream);
    }
    const current = head?.version ?? 0;
    if (opts.expectedVersion !== undefined && opts.expectedVersion !== current) throw errors.staleVersion(opts.expectedVersion, current);
    const body: Omit<LedgerEvent<D>, 'hash'> = {
      stream, version: current + 1, type, at: new Date().toISOString(), actor: canonicalCopy(opts.actor ?? currentActor()),
      data: canonicalCopy(data), prevHash: head?.hash ?? GENESIS_HASH,
    };
    if (opts.reason !== undefined) body.reason = opts.reason;
    const event = { ...body, hash: hashEvent(body as Omit<LedgerEvent, 'hash'>) } as LedgerEvent<D>;
    try {
      await this.stored.insertOne({ _id: eventId(stream, event.version), ...(event as LedgerEvent) });
    } catch (err) {
      this.heads.delete(stream);
      if (isDuplicateKey(err)) throw errors.conflict({ stream, version: event.version });
      throw err;
    }
    this.rememberHead(stream, event.version, event.hash);
    this.appendedHere++;
    // The event is committed. A projection that fails here is caught up from the ledger later
    // (next event on the stream, or start-up), so its error must not undo the append's success.
    for (const l of this.listeners) await l(event as LedgerEvent).catch((err) => this.onListenerError(err, event as LedgerEvent));
    return event;
  }

  /** For commutative events (a login, a failed attempt): retry on a lost race instead of failing. */
  async appendWithRetry<D extends Record<string, unknown>>(stream: string, type: string, data: D, opts: Omit<AppendOptions, 'expectedVersion'> = {}) {
    for (let attempt = 0; ; attempt++) {
      try { return await this.append(stream, type, data, opts); } catch (err) {
        if (attempt >= 20 || (err as { code?: string }).code !== 'CONFLICT') throw err;
        await new Promise((r) => setTimeout(r, Math.random() * 10 * (attempt + 1)));
      }
    }
  }

  /** A stream's events 1..upTo (default: its head), in order, fetched by _id a few at a time. */
  async read(stream: string, upTo?: number): Promise<LedgerEvent[]> {
    const last = upTo ?? (await this.head(stream))?.version ?? 0;
    const out: LedgerEvent[] = new Array(last);
    const BATCH = 8;
    for (let from = 1; from <= last; from += BATCH) {
      await Promise.all(Array.from({ length: Math.min(BATCH, last - from + 1) }, async (_, k) => {
        const v = from + k;
        out[v - 1] = (await this.stored.findOne({ _id: eventId(stream, v) }, { projection: { _id: 0 } })) as LedgerEvent;
      }));
    }
    return out.filter(Boolean);
  }

  /** Events in the ledger: counted once (a full scan on the embedded engine), then kept by this process. */
  async count(): Promise<number> {
    this.counted ??= this.events.estimatedDocumentCount().then((n) => n - this.appendedHere);
    return (await this.counted) + this.appendedHere;
  }

  /** Forget cached heads (after a test edits the database behind the ledger's back, say). */
  forgetHeads() { this.heads.clear(); }

  private rememberHead(stream: string, version: number, hash: string) {
    if (this.heads.size > 100_000) this.heads.clear();
    this.heads.set(stream, { version, hash });
  }
}
