import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { SYSTEM_ACTOR, type Actor } from '../../platform/context.ts';
import { errors } from '../../platform/errors.ts';
import { streamOf } from '../../records/registry.ts';
import { runCommand } from '../../records/command.ts';
import { isRace, mutate, nextSequence } from '../../records/ledgerOps.ts';
import { todayUtc } from '../../platform/dates.ts';
import { LOTS, type Decision, type LotDoc, type LotState } from './lot.record.ts';
import { isPastExpiry } from './lot.lifecycle.ts';
import { lotEvents } from './events.ts';
import { now as clockNow } from '../../platform/clock.ts';

export { assertIssuable, assertMayDecide } from './lot.lifecycle.ts';

export const lots = (s: Services) => s.db.collection<LotDoc>(LOTS);
const lotStream = (id: string) => streamOf('lot', id);

/** Lot numbers: L<yymm>-<global sequence>, e.g. L2611-00042. */
export async function allocateLotNumber(s: Services, actor?: Actor) {
  const seq = await nextSequence(s, 'lot', actor);
  const d = clockNow();
  return `L${String(d.getUTCFullYear()).slice(2)}${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(seq).padStart(5, '0')}`;
}

/** Version 1 of a lot's stream (idempotent: a second attempt with the same id is a no-op). */
export async function createLot(
  s: Services,
  id: string,
  type: 'lot.received' | 'lot.produced',
  data: Record<string, unknown>,
  actor: Actor,
) {
  try {
    await s.ledger.append(lotStream(id), type, data, { expectedVersion: 0, actor });
  } catch (err) {
    if (!isRace(err)) throw err;
  }
}

/** A lot as stored, made expired first if its date has passed (the sweep on read). */
export async function getLot(s: Services, id: string): Promise<LotDoc> {
  let l = await lots(s).findOne({ _id: id });
  if (!l) throw errors.notFound('lot');
  if (isExpirable(l)) {
    await expireLot(s, id);
    l = (await lots(s).findOne({ _id: id }))!;
  }
  return l;
}

const EXPIRABLE = ['quarantine', 'released', 'on_hold'] as const;
const isExpirable = (l: LotState) => (EXPIRABLE as readonly string[]).includes(l.status) && isPastExpiry(l);

/** Expiry is the system's act, not a person's (not a lifecycle action: nobody may choose it). */
async function expireLot(s: Services, id: string) {
  await mutate<LotState>(s, lotStream(id), SYSTEM_ACTOR, (l) =>
    l && isExpirable(l) ? { type: 'lot.expired', data: { expiryDate: l.expiryDate } } : null,
  );
}

const sweeps = new WeakMap<Services, Promise<number>>();
/** Lots past their expiry date become expired, with the system as actor (start-up, timer, reads). One sweep at a time per server. */
export function sweepExpired(s: Services): Promise<number> {
  const running = sweeps.get(s);
  if (running) return running;
  const sweep = (async () => {
    try {
      const due = await lots(s)
        .find(
          { status: { $in: [...EXPIRABLE] }, expiryDate: { $lt: todayUtc(), $ne: null } },
          { projection: { _id: 1 } },
        )
        .toArray();
      for (const l of due) await expireLot(s, l._id);
      return due.length;
    } finally {
      sweeps.delete(s);
    }
  })();
  sweeps.set(s, sweep);
  return sweep;
}

/**
 * Every action on a lot (lot.lifecycle.ts declares them), through the one command path: 404 and
 * the expiry sweep first, then the command judged on the lot as the ledger has it.
 */
export async function lotAction(
  s: Services,
  user: SessionUser,
  id: string,
  action: string,
  input: Record<string, unknown>,
) {
  await getLot(s, id);
  await runCommand(s, user, lotStream(id), action, input);
  return getLot(s, id);
}

// The named commands other contexts call (production issues, the seed moves stock).
export const moveLot = (
  s: Services,
  user: SessionUser,
  id: string,
  m: { from: string; to: string; quantity: number; source?: string; version?: number },
) => lotAction(s, user, id, 'move', m);
/** Consumes a quantity for a work order. Only released, unexpired lots; never below zero. */
export const issueLot = (
  s: Services,
  user: SessionUser,
  id: string,
  i: { quantity: number; location?: string; workOrder: string; version?: number },
) => lotAction(s, user, id, 'issue', i);
/** A QA decision on a lot (release, reject, conditional use, release from hold, scrap), completed by the signer's e-signature. */
export const decideOnLot = (
  s: Services,
  user: SessionUser,
  id: string,
  decision: Decision,
  input: { password: string; totp?: string; reason: string; [k: string]: unknown },
) => lotAction(s, user, id, decision, input);

/** The incoming inspection's result, noted on a lot still in quarantine (its release is judged on it): the inspection command's effect. */
export async function noteInspection(
  s: Services,
  id: string,
  data: {
    inspectionId: string;
    result: 'pass' | 'fail';
    defectives: number;
    sampleSize: number;
    inspector: { id: string; name: string };
  },
) {
  await mutate<LotState>(s, lotStream(id), undefined, (l) =>
    l && l.status === 'quarantine' ? lotEvents.change('lot.inspected', data) : null,
  );
}
