import { streamOf } from '../../records/registry.ts';
import { availableActions } from '../../records/lifecycle.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { lotLifecycle } from '../inventory/lot.lifecycle.ts';
import type { InspectionDoc } from './inspection.record.ts';
import { inspectionLifecycle } from './inspection.lifecycle.ts';

/** The meaning of the lot signature a disposition gives (it is signed on the lots: lot.lifecycle.ts names it). */
const lotSignature = (action: string) =>
  lotLifecycle.transitions.find((t) => t.name === action)?.signature?.meaning ?? null;

/** What this user may do to the inspection now; a disposition names the signature the lots receive, so the client asks for it. */
export const inspectionActions = (d: InspectionDoc, user: SessionUser) =>
  availableActions(inspectionLifecycle, d, user).map((a) => ({
    ...a,
    signature: a.signature ?? lotSignature(a.action),
  }));

// The only shape of an inspection that leaves the server.
export const presentInspection = (d: InspectionDoc, user: SessionUser) => ({
  id: d._id,
  stream: streamOf('inspection', d._id),
  number: d.number,
  lotIds: d.lotIds,
  lotNumber: d.lotNumber,
  item: d.item,
  supplier: d.supplier,
  po: d.po,
  receiptId: d.receiptId,
  lotSize: d.lotSize,
  plan: d.plan,
  characteristics: d.characteristics,
  status: d.status,
  result: d.result,
  defectives: d.defectives,
  measurements: d.measurements,
  attributeDefectives: d.attributeDefectives,
  notes: d.notes,
  inspector: d.inspector,
  completedAt: d.completedAt,
  disposition: d.disposition,
  createdAt: d.createdAt,
  version: d.ledgerVersion,
  actions: inspectionActions(d, user),
});
