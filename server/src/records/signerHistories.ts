import type { Services } from '../platform/services.ts';
import type { LedgerEvent } from '../ledger/event.ts';
import { streamId, streamOf } from './registry.ts';

/** How long a signer's account history read from the database may serve later checks. */
const TTL_MS = 60_000;
/** Histories kept at most (the least recently read are dropped first). */
const MAX_USERS = 2_000;

/**
 * The signers' account histories (their `user:` streams) that signature checks read: a page showing
 * a record's signatures checks each signer as they were when they signed (21 CFR 11.50, 11.70).
 * A history is read event by event from the database (fresh, not from the ledger's cache), and the
 * stream grows with every sign-in, so re-reading it for every signature on every page view cost a
 * lot page tens of engine round trips (issue 14 item 6). Here one read serves later checks, when:
 *
 * - it started after the latest signature being checked (`asOf`): every event before that
 *   signature was committed before the read began, so the history is complete for it;
 * - it is less than TTL_MS old: a change made behind the application's back (the database edited
 *   directly) shows on pages within a minute, as on every other server; `ledger verify` and the
 *   checkpoints, which read everything afresh, remain the authoritative check;
 * - no event has been appended to that user's stream on this server since (dropped at once).
 */
export class SignerHistoryCache {
  private kept = new Map<string, { readAt: number; events: Promise<LedgerEvent[]> }>();

  constructor(private s: Services) {
    s.ledger.onAppended(async (e: LedgerEvent) => {
      if (e.stream.startsWith('user:')) this.kept.delete(streamId(e.stream));
    });
  }

  get(id: string, asOf: string): Promise<LedgerEvent[]> {
    const hit = this.kept.get(id);
    const now = Date.now();
    if (hit && now - hit.readAt < TTL_MS && Date.parse(asOf) < hit.readAt) return hit.events;
    const events = this.s.ledger.read(streamOf('user', id), undefined, { fresh: true });
    const entry = { readAt: now, events };
    this.kept.delete(id); // re-inserted last: the map's order is the order of reads
    this.kept.set(id, entry);
    events.catch(() => this.kept.get(id) === entry && this.kept.delete(id));
    if (this.kept.size > MAX_USERS) this.kept.delete(this.kept.keys().next().value!);
    return events;
  }
}
