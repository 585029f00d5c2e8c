import type { Services } from '../../platform/services.ts';
import { errors } from '../../platform/errors.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { streamOf } from '../../records/registry.ts';
import { asUser, runCommand } from '../../records/command.ts';
import { isRace } from '../../records/ledgerOps.ts';
import type { CommandInput } from '../../records/lifecycle.ts';
import { items } from '../items/service.ts';
import { complaints } from '../complaints/service.ts';
import { IMDRF_ANNEXES, isImdrfCode } from '../complaints/imdrfCodes.ts';
import { LOTS, type LotDoc } from '../inventory/lot.record.ts';
import { RiskErrors as E } from './errors.ts';
import { riskFileEvents, riskPlanEvents } from './events.ts';
import type { PlanContent } from './policy.ts';
import { approvedPlan, riskFiles, riskPlans } from './queries.ts';
import { residualOf } from './riskfile.lifecycle.ts';
import { linksOf } from './presenter.ts';
import type { RiskFileDoc } from './riskfile.record.ts';

async function deviceOf(s: Services, itemId: string) {
  const it = await items(s).findOne({ _id: itemId });
  if (!it) throw errors.validation('body.itemId', { en: `no item "${itemId}"`, zh: `没有物料"${itemId}"` });
  return { id: it._id, partNumber: it.partNumber, name: it.name };
}

export async function getPlan(s: Services, id: string) {
  const p = await riskPlans(s).findOne({ _id: id });
  if (!p) throw errors.notFound('risk management plan');
  return p;
}
export async function getFile(s: Services, id: string) {
  const f = await riskFiles(s).findOne({ _id: id });
  if (!f) throw errors.notFound('risk management file');
  return f;
}
export const listPlans = (s: Services, item?: string) =>
  riskPlans(s)
    .find(item ? { itemId: item } : {})
    .sort({ 'item.partNumber': 1 })
    .limit(1000)
    .toArray();
export const listFiles = (s: Services, item?: string) =>
  riskFiles(s)
    .find(item ? { itemId: item } : {})
    .sort({ 'item.partNumber': 1 })
    .limit(1000)
    .toArray();

/**
 * Creates a device's risk management plan with its first draft (one plan per device: stream
 * `riskplan:<itemId>`, version 1 or nothing). Not a lifecycle action: there is no record yet.
 */
export function createPlan(s: Services, user: SessionUser, itemId: string, content: PlanContent) {
  return asUser(user, async () => {
    const item = await deviceOf(s, itemId);
    const e = riskPlanEvents.change('riskplan.drafted', { item, content });
    try {
      await s.ledger.append(streamOf('riskplan', item.id), e.type, e.data, { expectedVersion: 0 });
    } catch (err) {
      if (isRace(err)) throw E.RISK_PLAN_EXISTS();
      throw err;
    }
    return getPlan(s, item.id);
  });
}

/** Opens a device's risk management file (stream `riskfile:<itemId>`). */
export function createFile(s: Services, user: SessionUser, itemId: string) {
  return asUser(user, async () => {
    const item = await deviceOf(s, itemId);
    const e = riskFileEvents.change('riskfile.created', { item });
    try {
      await s.ledger.append(streamOf('riskfile', item.id), e.type, e.data, { expectedVersion: 0 });
    } catch (err) {
      if (isRace(err)) throw E.RISK_FILE_EXISTS();
      throw err;
    }
    return getFile(s, item.id);
  });
}

export async function planAction(s: Services, user: SessionUser, id: string, action: string, input: CommandInput) {
  await getPlan(s, id);
  await runCommand(s, user, streamOf('riskplan', id), action, input);
  return getPlan(s, id);
}
export async function fileAction(s: Services, user: SessionUser, id: string, action: string, input: CommandInput) {
  await getFile(s, id);
  await runCommand(s, user, streamOf('riskfile', id), action, input);
  return getFile(s, id);
}

/** Annexes whose codes describe harm to a person (IMDRF Annex E health effects, F patient problems — clinical). */
const HARM_ANNEXES = new Set(['E', 'F']);
const annexOf = (code: string) => IMDRF_ANNEXES.find((a) => isImdrfCode(a, code)) ?? null;

/**
 * Post-production feedback (ISO 14971:2019 clause 10): for each hazard row tagged with IMDRF codes,
 * the device's complaints carrying each code (every complaint received, whatever its status,
 * codes given at receipt and at investigation) divided by the units shipped (the quantities of every
 * `lot.shipped` movement of the device's lots and serials, `lots/{id}/ship`), set against the row's current estimate: a
 * device-problem code (Annexes A–D, G) against P1 (the hazardous situation occurs), a health-
 * effect code (Annexes E, F) against P1 × P2 (harm occurs). A row whose observed rate exceeds its
 * estimate is flagged for review (10.4: review the risk management file).
 */
export async function postProduction(s: Services, f: RiskFileDoc) {
  const shippedLots = await s.db
    .collection<LotDoc>(LOTS)
    .find({ 'item.id': f.itemId, 'movements.type': 'shipped' }, { projection: { movements: 1 } })
    .toArray();
  const shipped = shippedLots
    .flatMap((l) => l.movements.filter((m) => m.type === 'shipped'))
    .reduce((n, m) => n + Math.abs(m.quantity), 0);
  const received = await complaints(s)
    .find({ 'device.itemId': f.itemId }, { projection: { codes: 1, investigation: 1 } })
    .toArray();
  const codesOf = (c: (typeof received)[number]) =>
    new Set([...Object.values(c.codes ?? {}).flat(), ...Object.values(c.investigation?.codes ?? {}).flat()]);
  const counts = new Map<string, number>();
  for (const c of received) for (const code of codesOf(c)) counts.set(code, (counts.get(code) ?? 0) + 1);
  const plan = await approvedPlan(s, f.itemId);
  const rows = f.rows
    .filter((r) => r.imdrfCodes.length || linksOf(f, r.id).length)
    .map((r) => {
      const est = residualOf(r) ?? r.initial;
      const codes = r.imdrfCodes.map((code) => {
        const annex = annexOf(code);
        const harm = annex !== null && HARM_ANNEXES.has(annex);
        const estimate = harm ? (est.p1 !== null && est.p2 !== null ? est.p1 * est.p2 : null) : est.p1;
        const complaintCount = counts.get(code) ?? 0;
        const observed = shipped > 0 ? complaintCount / shipped : null;
        return {
          code,
          annex,
          compares: harm ? ('p1_x_p2' as const) : ('p1' as const),
          complaints: complaintCount,
          observedRate: observed,
          estimate,
          exceeds: observed !== null && estimate !== null && observed > estimate,
        };
      });
      // the complaints linked to the row by hand are part of its evidence for the review (10.4)
      const linkedComplaints = linksOf(f, r.id);
      return {
        rowId: r.id,
        hazard: r.hazard,
        harm: r.harm,
        codes,
        linkedComplaints,
        flagged: codes.some((c) => c.exceeds),
      };
    });
  return {
    fileId: f._id,
    item: f.item,
    planRevision: plan?.revision ?? null,
    unitsShipped: shipped,
    complaints: received.length,
    rows,
    flagged: rows.filter((r) => r.flagged).map((r) => r.rowId),
  };
}
