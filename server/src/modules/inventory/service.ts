import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { actorOf } from '../../identity/authService.ts';
import { SYSTEM_ACTOR, type Actor } from '../../platform/context.ts';
import { domainError, errors } from '../../platform/errors.ts';
import { streamOf } from '../../records/registry.ts';
import { isRace, mutate, nextSequence } from '../../records/ledgerOps.ts';
import { signedDecision, type Cred } from '../items/ledgerOps.ts';
import { addMonths, todayUtc } from '../../platform/dates.ts';
import { assertQuantityInRange, sumQty } from '../../platform/fields.ts';
import { getCustomer, getItem, getLocation } from '../items/service.ts';
import { LOTS, decisionRefusal, type Decision, type LotDoc, type LotState } from './lot.record.ts';

export const lots = (s: Services) => s.db.collection<LotDoc>(LOTS);
const lotStream = (id: string) => streamOf('lot', id);

const notReleased = (l: LotState) => domainError('LOT_NOT_RELEASED', `Lot ${l.lotNumber} is ${l.status}, not released.`, `批次 ${l.lotNumber} 处于"${l.status}"状态,未放行。`, 409, { status: l.status });
const expired = (l: LotState) => domainError('LOT_EXPIRED', `Lot ${l.lotNumber} expired on ${l.expiryDate}.`, `批次 ${l.lotNumber} 已于 ${l.expiryDate} 过期。`, 409, { expiryDate: l.expiryDate });
const isPastExpiry = (l: LotState) => !!l.expiryDate && l.expiryDate < todayUtc();
function insufficient(l: LotState, location: string, requested: number) {
  const available = l.balances.find((b) => b.location === location)?.quantity ?? 0;
  return domainError('INSUFFICIENT_QUANTITY', `Only ${available} ${l.item.unit} of lot ${l.lotNumber} at ${location}; ${requested} requested.`,
    `批次 ${l.lotNumber} 在 ${location} 仅有 ${available} ${l.item.unit},请求 ${requested}。`, 409, { available, requested, location });
}
const available = (l: LotState, location: string) => l.balances.find((b) => b.location === location)?.quantity ?? 0;
/** A lot never holds more than a quantity can (QTY_MAX): an adjustment or count beyond it is refused. */
const assertLotWithinBounds = (l: LotState, delta: number) => assertQuantityInRange(sumQty(l.quantity, delta), { en: `Lot ${l.lotNumber}`, zh: `批次 ${l.lotNumber} 的数量` });

/** Lot numbers: L<yymm>-<global sequence>, e.g. L2611-00042. */
export async function allocateLotNumber(s: Services, actor?: Actor) {
  const seq = await nextSequence(s, 'lot', actor);
  const d = new Date();
  return `L${String(d.getUTCFullYear()).slice(2)}${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(seq).padStart(5, '0')}`;
}

/** Version 1 of a lot's stream (idempotent: a second attempt with the same id is a no-op). */
export async function createLot(s: Services, id: string, type: 'lot.received' | 'lot.produced', data: Record<string, unknown>, actor: Actor) {
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
  if (isExpirable(l)) { await expireLot(s, id); l = (await lots(s).findOne({ _id: id }))!; }
  return l;
}

const EXPIRABLE = ['quarantine', 'released', 'on_hold'] as const;
const isExpirable = (l: LotState) => (EXPIRABLE as readonly string[]).includes(l.status) && isPastExpiry(l);

async function expireLot(s: Services, id: string) {
  await mutate<LotState>(s, lotStream(id), SYSTEM_ACTOR, (l) => (l && isExpirable(l) ? { type: 'lot.expired', data: { expiryDate: l.expiryDate } } : null));
}

const sweeps = new WeakMap<Services, Promise<number>>();
/** Lots past their expiry date become expired, with the system as actor (start-up, timer, reads). One sweep at a time per server. */
export function sweepExpired(s: Services): Promise<number> {
  const running = sweeps.get(s);
  if (running) return running;
  const sweep = (async () => {
    try {
      const due = await lots(s).find({ status: { $in: [...EXPIRABLE] }, expiryDate: { $lt: todayUtc(), $ne: null } }, { projection: { _id: 1 } }).toArray();
      for (const l of due) await expireLot(s, l._id);
      return due.length;
    } finally { sweeps.delete(s); }
  })();
  sweeps.set(s, sweep);
  return sweep;
}

type Rule = (l: LotState) => void;
/** One quantity command: judged on the lot as the ledger has it, appended at that version. */
async function onLot(s: Services, user: SessionUser | null, id: string, decide: (l: LotState) => { type: string; data: Record<string, unknown>; reason?: string } | null) {
  await getLot(s, id);
  await mutate<LotState>(s, lotStream(id), user ? actorOf(user) : SYSTEM_ACTOR, (l) => {
    if (!l) throw errors.notFound('lot');
    return decide(l);
  });
  return getLot(s, id);
}

const mustHave = (qty: number, location: string): Rule => (l) => { if (available(l, location) < qty) throw insufficient(l, location, qty); };

async function assertDestination(s: Services, l: LotState, to: string) {
  const loc = await getLocation(s, to);
  if (!loc.active) throw domainError('LOCATION_INACTIVE', `Location ${to} is deactivated.`, `库位 ${to} 已停用。`);
  const allowed = l.status === 'quarantine' ? ['quarantine', 'reject'] : l.status === 'rejected' ? ['reject'] : ['storage', 'quarantine', 'reject'];
  if (!allowed.includes(loc.kind)) {
    throw domainError('LOCATION_NOT_ALLOWED', `A ${l.status} lot cannot go to a ${loc.kind} location.`, `"${l.status}"状态的批次不能移入"${loc.kind}"类库位。`, 409, { status: l.status, kind: loc.kind });
  }
}

export async function moveLot(s: Services, user: SessionUser, id: string, m: { from: string; to: string; quantity: number; source?: string }) {
  if (m.from === m.to) throw errors.validation('body.to', 'the destination is the source');
  const before = await getLot(s, id);
  await assertDestination(s, before, m.to);
  return onLot(s, user, id, (l) => {
    if (['consumed', 'scrapped', 'shipped'].includes(l.status)) throw notReleased(l);
    mustHave(m.quantity, m.from)(l);
    return { type: 'lot.moved', data: { from: m.from, to: m.to, quantity: m.quantity, source: m.source ?? null } };
  });
}

export async function adjustLot(s: Services, user: SessionUser, id: string, a: { location: string; delta: number; reason: string; source?: string; counted?: number }) {
  await getLocation(s, a.location);
  return onLot(s, user, id, (l) => {
    if (['consumed', 'scrapped', 'shipped'].includes(l.status) && a.delta !== 0) throw notReleased(l);
    if (l.kind === 'serial' && a.counted === undefined && sumQty(available(l, a.location), a.delta) > 1) throw errors.validation('body.delta', 'a serialized unit is one piece');
    if (sumQty(available(l, a.location), a.delta) < 0) throw insufficient(l, a.location, -a.delta);
    assertLotWithinBounds(l, a.delta);
    return { type: 'lot.adjusted', data: { location: a.location, delta: a.delta, source: a.source ?? null, ...(a.counted !== undefined ? { counted: a.counted } : {}) }, reason: a.reason };
  });
}

/** A stock count: the difference to the book quantity becomes an adjustment (zero: the count is still recorded). */
export async function countLot(s: Services, user: SessionUser, id: string, c: { location: string; counted: number; reason?: string }) {
  await getLocation(s, c.location);
  return onLot(s, user, id, (l) => {
    const delta = sumQty(c.counted, -available(l, c.location));
    assertLotWithinBounds(l, delta);
    return { type: 'lot.adjusted', data: { location: c.location, delta, counted: c.counted, source: 'stock-count' }, reason: c.reason ?? (delta === 0 ? 'stock count: no difference' : 'stock count difference') };
  });
}

/** Only released, unexpired lots may be issued to production. */
export function assertIssuable(l: LotState) {
  if (l.status === 'expired' || (l.status === 'released' && isPastExpiry(l))) throw expired(l);
  if (l.status !== 'released') throw notReleased(l);
}

/** Consumes a quantity for a work order. Only released, unexpired lots; never below zero. */
export async function issueLot(s: Services, user: SessionUser, id: string, i: { quantity: number; location?: string; workOrder: string }) {
  return onLot(s, user, id, (l) => {
    assertIssuable(l);
    const location = i.location ?? l.balances.find((b) => b.quantity >= i.quantity)?.location ?? l.balances[0]?.location;
    if (!location) throw insufficient(l, '-', i.quantity);
    mustHave(i.quantity, location)(l);
    return { type: 'lot.issued', data: { location, quantity: i.quantity, workOrder: i.workOrder, source: `work-order:${i.workOrder}` } };
  });
}

export async function holdLot(s: Services, user: SessionUser, id: string, reason: string, source?: string) {
  return onLot(s, user, id, (l) => {
    if (!['quarantine', 'released'].includes(l.status)) {
      throw domainError('LOT_WRONG_STATUS', `Cannot hold a lot that is ${l.status}.`, `批次处于"${l.status}"状态,不能冻结。`);
    }
    return { type: 'lot.held', data: { source: source ?? null }, reason };
  });
}

/**
 * A QA decision on a lot, completed by the signer's e-signature (release, reject, conditional
 * use, release from hold, scrap). The rules are checked before the password is even asked for.
 */
export async function decideOnLot(s: Services, user: SessionUser, id: string, decision: Decision, req: Cred & { reason: string; extra?: Record<string, unknown>; quantity?: number; location?: string }) {
  await getLot(s, id);
  const meaning = { release: 'released', reject: 'rejected', conditional: 'approved', release_hold: 'released', scrap: 'approved' }[decision];
  await signedDecision(s, user, lotStream(id), meaning, req, (l: LotState) => {
    let scrap = {};
    if (decision === 'scrap') {
      const location = req.location ?? l.balances[0]?.location;
      const quantity = req.quantity ?? available(l, location ?? '');
      if (!location || quantity <= 0) throw domainError('NOTHING_TO_SCRAP', 'There is nothing left of this lot to scrap.', '该批次已无可报废数量。');
      mustHave(quantity, location)(l);
      scrap = { quantity, location };
    }
    return { type: 'lot.decisionProposed', data: { decision, reason: req.reason, ...req.extra, ...scrap }, reason: req.reason };
  }, (l: LotState) => assertMayDecide(l, decision, user));
  return getLot(s, id);
}

/** The rules of a lot decision that hold before anything is proposed (also asked for every lot of an inspection first). */
export function assertMayDecide(l: LotState, decision: Decision, user: SessionUser) {
  const refusal = decisionRefusal(decision, l, user);
  if (refusal) throw refusal;
  if (isPastExpiry(l) && (decision === 'release' || decision === 'conditional' || decision === 'release_hold')) throw expired(l);
  if ((decision === 'release' || decision === 'conditional') && l.inspection?.inspectorId === user.id) throw domainError('SIGNER_IS_AUTHOR', 'The inspector of a lot cannot release it.', '检验员不能放行自己检验的批次。');
}

/** Ships a released serialized unit to a customer; the warranty runs from the ship date. */
export async function shipSerial(s: Services, user: SessionUser, id: string, sh: { customer: string; shipDate?: string; reference: string }) {
  const cust = await getCustomer(s, sh.customer);
  if (!cust.active) throw domainError('CUSTOMER_INACTIVE', `Customer ${sh.customer} is deactivated.`, `客户 ${sh.customer} 已停用。`);
  const lot = await getLot(s, id);
  if (lot.kind !== 'serial') throw domainError('NOT_A_SERIAL', 'Only serialized units are shipped one by one.', '只有序列号管理的产品才能逐台发货。');
  const item = await getItem(s, lot.item.id);
  const shipDate = sh.shipDate ?? todayUtc();
  const warrantyEnd = item.warrantyMonths > 0 ? addMonths(shipDate, item.warrantyMonths) : null;
  return onLot(s, user, id, (l) => {
    if (isPastExpiry(l)) throw expired(l);
    if (l.status !== 'released') throw notReleased(l);
    return { type: 'lot.shipped', data: { customer: sh.customer, shipDate, warrantyEnd, reference: sh.reference } };
  });
}
