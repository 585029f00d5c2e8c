import { randomUUID } from 'node:crypto';
import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { actorOf } from '../../identity/authService.ts';
import type { Actor } from '../../platform/context.ts';
import { domainError, errors } from '../../platform/errors.ts';
import { streamOf } from '../../records/registry.ts';
import { isRace, mutate, yearlyNumber } from '../../records/ledgerOps.ts';
import { type Cred } from '../items/ledgerOps.ts';
import type { ItemDoc } from '../items/item.record.ts';
import { assertMayDecide, decideOnLot, getLot } from '../inventory/service.ts';
import type { LotState } from '../inventory/lot.record.ts';
import { INSPECTIONS, NONCONFORMANCES, type InspectionDoc, type InspectionState, type Measurement, type NcDoc } from './inspection.record.ts';
import { samplingPlan, type SamplingPlan } from './sampling.ts';

export const inspections = (s: Services) => s.db.collection<InspectionDoc>(INSPECTIONS);
export const nonconformances = (s: Services) => s.db.collection<NcDoc>(NONCONFORMANCES);

export async function getInspection(s: Services, id: string): Promise<InspectionDoc> {
  const d = await inspections(s).findOne({ _id: id });
  if (!d) throw errors.notFound('inspection');
  return d;
}

/** The plan for a received quantity (lot size in whole units; a single unit is inspected in full). */
export function planFor(quantity: number, aql: number): SamplingPlan {
  const lotSize = Math.max(1, Math.ceil(quantity));
  if (lotSize < 2) return { lotSize, letter: 'A', planLetter: 'A', sampleSize: 1, ac: 0, re: 1, aql, hundredPercent: true };
  return samplingPlan(lotSize, aql);
}


/** Opens the inspection of a receipt line (idempotent on its pre-allocated id). */
export async function openInspection(s: Services, actor: Actor, id: string, o: { lotIds: string[]; lotNumber: string; item: ItemDoc; quantity: number;
  supplier: { code: string; name: { zh: string; en: string } } | null; po: { id: string; number: string } | null; receiptId: string | null }) {
  const data = {
    number: await yearlyNumber(s, 'INS', actor), lotIds: o.lotIds, lotNumber: o.lotNumber,
    item: { id: o.item._id, partNumber: o.item.partNumber, name: o.item.name, unit: o.item.unit }, supplier: o.supplier, po: o.po, receiptId: o.receiptId,
    lotSize: Math.max(1, Math.ceil(o.quantity)), plan: planFor(o.quantity, o.item.aql), characteristics: o.item.characteristics,
  };
  try {
    await s.ledger.append(streamOf('inspection', id), 'inspection.created', data as unknown as Record<string, unknown>, { expectedVersion: 0, actor });
  } catch (err) { if (!isRace(err)) throw err; }
}

export interface ResultsInput { measurements: Array<{ characteristic: string; values: number[] }>; attributeDefectives?: number; notes?: string; reason?: string }

/**
 * The inspector's results. Every characteristic of the plan is measured on every sample unit; a
 * unit is defective when any value is outside its limits (plus units found defective by
 * attribute). Pass when the defectives do not exceed Ac. Re-entry before the disposition is a
 * new event with its reason; the earlier entry stays in the ledger.
 */
export async function recordResults(s: Services, user: SessionUser, id: string, input: ResultsInput) {
  const insp = await getInspection(s, id);
  const n = insp.plan.sampleSize;
  const byName = new Map(input.measurements.map((m, i) => [m.characteristic, { ...m, i }]));
  for (const [i, m] of input.measurements.entries()) {
    if (!insp.characteristics.some((c) => c.name === m.characteristic)) throw errors.validation(`body.measurements.${i}.characteristic`, `not a characteristic of this plan: ${m.characteristic}`);
    if (m.values.length !== n) throw errors.validation(`body.measurements.${i}.values`, `the plan samples ${n} units; ${m.values.length} values given`);
  }
  for (const c of insp.characteristics) if (!byName.has(c.name)) throw errors.validation('body.measurements', `missing characteristic: ${c.name}`);
  const defectiveUnits = new Set<number>();
  const measurements: Measurement[] = insp.characteristics.map((c) => {
    const values = byName.get(c.name)!.values;
    const outOfSpec = values.flatMap((v, u) => ((c.lower !== null && v < c.lower) || (c.upper !== null && v > c.upper) ? [u] : []));
    outOfSpec.forEach((u) => defectiveUnits.add(u));
    return { characteristic: c.name, values, outOfSpec };
  });
  const attributeDefectives = input.attributeDefectives ?? 0;
  if (attributeDefectives > n) throw errors.validation('body.attributeDefectives', `more than the ${n} sampled units`);
  const defectives = Math.min(n, defectiveUnits.size + attributeDefectives);
  const result = defectives <= insp.plan.ac ? 'pass' : 'fail';
  const actor = actorOf(user);
  await mutate<InspectionState>(s, streamOf('inspection', id), actor, (st) => {
    if (st!.status === 'dispositioned') throw domainError('INSPECTION_CLOSED', 'This inspection is already dispositioned.', '该检验已完成处置。');
    if (st!.status === 'completed' && !input.reason) throw errors.validation('body.reason', 'a correction of entered results needs its reason');
    return { type: 'inspection.resultsRecorded', data: { measurements: measurements as unknown as Record<string, unknown>[], attributeDefectives, defectives, result, notes: input.notes ?? '' }, reason: input.reason };
  });
  for (const lotId of insp.lotIds) {
    await mutate<LotState>(s, streamOf('lot', lotId), actor, (l) => (l && l.status === 'quarantine'
      ? { type: 'lot.inspected', data: { inspectionId: id, result, defectives, sampleSize: n, inspector: { id: user.id, name: user.fullName } } } : null));
  }
  return getInspection(s, id);
}

export type Disposition = 'release' | 'reject' | 'conditional';

/**
 * The QA disposition, signed on each lot of the inspection: release ("released"), reject
 * ("rejected", opens an NC) or conditional use ("approved", QA manager). The lot rules
 * (INSPECTION_NOT_COMPLETE, INSPECTION_FAILED, segregation from the inspector) are the lot's.
 */
export async function dispose(s: Services, user: SessionUser, id: string, d: Cred & { decision: Disposition; reason?: string; description?: string }) {
  const insp = await getInspection(s, id);
  if (insp.status === 'dispositioned') throw domainError('INSPECTION_CLOSED', 'This inspection is already dispositioned.', '该检验已完成处置。');
  if (d.decision !== 'release' && !d.reason) throw errors.validation('body.reason', `a ${d.decision} decision needs its reason`);
  const reason = d.reason ?? 'Incoming inspection passed.';
  const ncId = d.decision === 'reject' ? randomUUID() : null;
  // every lot is judged before the first is signed, so a refusal on one writes nothing on any
  for (const lotId of insp.lotIds) assertMayDecide(await getLot(s, lotId), d.decision, user);
  const signatureIds: string[] = [];
  for (const lotId of insp.lotIds) {
    const lot = await decideOnLot(s, user, lotId, d.decision, { password: d.password, totp: d.totp, reason, extra: { inspectionId: id, ...(ncId ? { ncId } : {}) } });
    if (lot.disposition) signatureIds.push(lot.disposition.signatureId);
  }
  const actor = actorOf(user);
  if (ncId) {
    const first = await getLot(s, insp.lotIds[0]);
    await s.ledger.append(streamOf('nc', ncId), 'nc.opened', {
      number: await yearlyNumber(s, 'NC', actor), source: { kind: 'incoming_inspection', lotId: first._id, lotNumber: first.lotNumber, inspectionId: id },
      item: { id: insp.item.id, partNumber: insp.item.partNumber, name: insp.item.name }, supplier: insp.supplier,
      description: d.description ?? `Lot ${insp.lotNumber} rejected at incoming inspection ${insp.number}: ${reason}`,
    }, { expectedVersion: 0, actor });
  }
  await mutate<InspectionState>(s, streamOf('inspection', id), actor, (st) => (st!.status === 'dispositioned' ? null
    : { type: 'inspection.dispositioned', data: { decision: d.decision, signatureIds, ncId } }));
  return getInspection(s, id);
}

export async function listInspections(s: Services, f: { status?: string; lot?: string }) {
  const q: Record<string, unknown> = {};
  if (f.status) q.status = f.status;
  if (f.lot) q.lotIds = f.lot;
  return inspections(s).find(q).sort({ createdAt: -1 }).limit(500).toArray();
}
