import { randomUUID } from 'node:crypto';
import type { Services } from './services.ts';
import { isDuplicateKey } from './db/mongo.ts';
import { now as clockNow } from './clock.ts';

/**
 * Background work that must run once across servers (effective-date sweeps, expiry sweeps,
 * timed checkpoints) takes a lease first: one document per task in `leases`, `{ holder, until }`.
 * The holder renews it on each run; another server takes it over only once it has expired (its
 * holder stopped or died). Found by _id, the one lookup the embedded engine answers from an
 * index. Clocks of the servers are assumed to agree within a small part of the lease time.
 */
export const LEASES = 'leases';
interface LeaseDoc {
  _id: string;
  holder: string;
  until: Date;
}

// one holder identity per server (per Services: tests run two servers in one process)
const holders = new WeakMap<object, string>();
export function holderOf(s: Services): string {
  let h = holders.get(s);
  if (!h) {
    h = randomUUID();
    holders.set(s, h);
  }
  return h;
}

/** Takes or renews the lease `name` for `ttlMs`; true when this server holds it. */
export async function acquireLease(s: Services, name: string, ttlMs: number): Promise<boolean> {
  const me = holderOf(s);
  const now = clockNow();
  try {
    const d = await s.db
      .collection<LeaseDoc>(LEASES)
      .findOneAndUpdate(
        { _id: name, $or: [{ holder: me }, { until: { $lt: now } }] },
        { $set: { holder: me, until: new Date(now.getTime() + ttlMs) } },
        { upsert: true, returnDocument: 'after' },
      );
    return d?.holder === me;
  } catch (err) {
    if (isDuplicateKey(err)) return false; // held by another server (the upsert met its document)
    throw err;
  }
}

/** Gives the lease up (on a clean stop), so another server need not wait for it to expire. */
export async function releaseLease(s: Services, name: string): Promise<void> {
  await s.db.collection<LeaseDoc>(LEASES).deleteOne({ _id: name, holder: holderOf(s) });
}

/** Runs `fn` only on the server holding the lease `name` (taken or renewed for `ttlMs`); false when another server holds it. */
export async function runOnce(s: Services, name: string, ttlMs: number, fn: () => Promise<unknown>): Promise<boolean> {
  if (!(await acquireLease(s, name, ttlMs))) return false;
  await fn();
  return true;
}
