import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import type { Actor } from '../../platform/context.ts';
import { errors } from '../../platform/errors.ts';
import { streamOf } from '../../records/registry.ts';
import { runCommand } from '../../records/command.ts';
import { isRace, yearlyNumber } from '../../records/ledgerOps.ts';
import type { ItemDoc } from '../items/item.record.ts';
import { INSPECTIONS, type InspectionDoc } from './inspection.record.ts';
import { resultsAction, type ResultsInput } from './inspection.lifecycle.ts';
import { inspectionEvents } from './events.ts';
import { samplingPlan, type SamplingPlan } from './sampling.ts';

export type { ResultsInput } from './inspection.lifecycle.ts';
export const inspections = (s: Services) => s.db.collection<InspectionDoc>(INSPECTIONS);

export async function getInspection(s: Services, id: string): Promise<InspectionDoc> {
  const d = await inspections(s).findOne({ _id: id });
  if (!d) throw errors.notFound('inspection');
  return d;
}

/** The plan for a received quantity (lot size in whole units; a single unit is inspected in full). */
export function planFor(quantity: number, aql: number): SamplingPlan {
  const lotSize = Math.max(1, Math.ceil(quantity));
  if (lotSize < 2)
    return { lotSize, letter: 'A', planLetter: 'A', sampleSize: 1, ac: 0, re: 1, aql, hundredPercent: true };
  return samplingPlan(lotSize, aql);
}

/** Opens the inspection of a receipt line (idempotent on its pre-allocated id): the receipt's effect, not a person's action on the inspection. */
export async function openInspection(
  s: Services,
  actor: Actor,
  id: string,
  o: {
    lotIds: string[];
    lotNumber: string;
    item: ItemDoc;
    quantity: number;
    supplier: { code: string; name: { zh: string; en: string } } | null;
    po: { id: string; number: string } | null;
    receiptId: string | null;
  },
) {
  const created = inspectionEvents.change('inspection.created', {
    number: await yearlyNumber(s, 'INS', actor),
    lotIds: o.lotIds,
    lotNumber: o.lotNumber,
    item: { id: o.item._id, partNumber: o.item.partNumber, name: o.item.name, unit: o.item.unit },
    supplier: o.supplier,
    po: o.po,
    receiptId: o.receiptId,
    lotSize: Math.max(1, Math.ceil(o.quantity)),
    plan: planFor(o.quantity, o.item.aql),
    characteristics: o.item.characteristics,
  });
  try {
    await s.ledger.append(streamOf('inspection', id), created.type, created.data, { expectedVersion: 0, actor });
  } catch (err) {
    if (!isRace(err)) throw err;
  }
}

/** Every action on an inspection (inspection.lifecycle.ts declares them), through the one command path. */
export async function inspectionAction(
  s: Services,
  user: SessionUser,
  id: string,
  action: string,
  input: Record<string, unknown>,
) {
  await getInspection(s, id);
  await runCommand(s, user, streamOf('inspection', id), action, input);
  return getInspection(s, id);
}

/** The inspector's results (a correction once results are in, with its reason). */
export async function recordResults(
  s: Services,
  user: SessionUser,
  id: string,
  input: ResultsInput & { version?: number },
) {
  return inspectionAction(s, user, id, resultsAction(await getInspection(s, id)), { ...input });
}

export type Disposition = 'release' | 'reject' | 'conditional';
/** The QA disposition, signed on each lot of the inspection (inspection.lifecycle.ts). */
export async function dispose(
  s: Services,
  user: SessionUser,
  id: string,
  d: {
    decision: Disposition;
    password: string;
    totp?: string;
    reason?: string;
    description?: string;
    version?: number;
  },
) {
  const { decision, ...input } = d;
  return inspectionAction(s, user, id, decision, input);
}

export async function listInspections(s: Services, f: { status?: string; lot?: string }) {
  const q: Record<string, unknown> = {};
  if (f.status) q.status = f.status;
  if (f.lot) q.lotIds = f.lot;
  return inspections(s).find(q).sort({ createdAt: -1 }).limit(500).toArray();
}
