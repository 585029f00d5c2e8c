import type { Collection, Db } from 'mongodb';
import { currentActor, type Actor } from '../platform/context.ts';
import { declareIndexes, isDuplicateKey } from '../platform/db/mongo.ts';
import { errors } from '../platform/errors.ts';
import { canonicalCopy, GENESIS_HASH, hashEvent, type LedgerEvent } from './event.ts';

export const EVENTS = 'ledger_events';
declareIndexes(EVENTS, [{ key: { stream: 1, version: 1 }, name: 'stream_version', unique: true }]);

export interface AppendOptions { expectedVersion?: number; reason?: string; actor?: Actor }
type Listener = (e: LedgerEvent) => Promise<void>;

/**
 * The append-only ledger. Appends are optimistic: the next version is head+1 and the unique
 * (stream, version) index decides between concurrent writers; the loser gets CONFLICT and
 * nothing is written. There is no update or delete here, by design.
 */
export class Ledger {
  readonly events: Collection<LedgerEvent>;
  private heads = new Map<string, { version: number; hash: string }>();
  private listeners: Listener[] = [];

  constructor(readonly db: Db) { this.events = db.collection<LedgerEvent>(EVENTS); }

  onAppended(fn: Listener) { this.listeners.push(fn); }
  onListenerError: (err: unknown, e: LedgerEvent) => void = (err) => { console.error(err); };

  async head(stream: string): Promise<{ version: number; hash: string } | null> {
    const cached = this.heads.get(stream);
    if (cached) return cached;
    const last = await this.events.find({ stream }, { projection: { version: 1, hash: 1 } }).sort({ version: -1 }).limit(1).next();
    return last ? { version: last.version, hash: last.hash } : null;
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
      // insert a copy: the driver adds _id to what it is given
      await this.events.insertOne({ ...event } as LedgerEvent);
    } catch (err) {
      this.heads.delete(stream);
      if (isDuplicateKey(err)) throw errors.conflict({ stream, version: event.version });
      throw err;
    }
    this.rememberHead(stream, event.version, event.hash);
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

  async read(stream: string, upTo?: number): Promise<LedgerEvent[]> {
    const q = upTo === undefined ? { stream } : { stream, version: { $lte: upTo } };
    return this.events.find(q, { projection: { _id: 0 } }).sort({ version: 1 }).toArray();
  }

  async count(): Promise<number> { return this.events.countDocuments({}); }

  /** Forget cached heads (after a test edits the database behind the ledger's back, say). */
  forgetHeads() { this.heads.clear(); }

  private rememberHead(stream: string, version: number, hash: string) {
    if (this.heads.size > 100_000) this.heads.clear();
    this.heads.set(stream, { version, hash });
  }
}
