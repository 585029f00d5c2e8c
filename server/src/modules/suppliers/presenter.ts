import type { SessionUser } from '../../identity/sessionUser.ts';
import { streamOf } from '../../records/registry.ts';
import { availableActions } from '../../records/lifecycle.ts';
import type { SupplierDoc } from './supplier.record.ts';
import { supplierLifecycle } from './supplier.lifecycle.ts';

// The only shapes of a supplier that leave the server; one supplier carries the actions this user may take now.
export const presentSupplierSummary = (d: SupplierDoc) => ({
  code: d._id,
  name: d.name,
  country: d.country,
  status: d.status,
  approvedItems: d.approvedItems.length,
  lastScore: d.evaluations.at(-1)?.score ?? null,
  pendingQualification: d.pendingQualification,
});

export const presentSupplier = (d: SupplierDoc, user: SessionUser) => ({
  code: d._id,
  stream: streamOf('supplier', d._id),
  name: d.name,
  country: d.country,
  contact: d.contact,
  address: d.address,
  createdAt: d.createdAt,
  status: d.status,
  statusReason: d.statusReason,
  statusHistory: d.statusHistory,
  pendingQualification: d.pendingQualification,
  evidence: d.evidence,
  approvedItems: d.approvedItems,
  evaluations: d.evaluations,
  version: d.ledgerVersion,
  actions: availableActions(supplierLifecycle, d, user),
});
