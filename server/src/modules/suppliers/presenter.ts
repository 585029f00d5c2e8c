import { streamOf } from '../../records/registry.ts';
import type { SupplierDoc } from './supplier.record.ts';

// The only shapes of a supplier that leave the server.
export const presentSupplierSummary = (d: SupplierDoc) => ({
  code: d._id, name: d.name, country: d.country, status: d.status, approvedItems: d.approvedItems.length,
  lastScore: d.evaluations.at(-1)?.score ?? null, pendingQualification: d.pendingQualification,
});

export const presentSupplier = (d: SupplierDoc) => ({
  code: d._id, stream: streamOf('supplier', d._id), name: d.name, country: d.country, contact: d.contact, address: d.address, createdAt: d.createdAt,
  status: d.status, statusReason: d.statusReason, statusHistory: d.statusHistory, pendingQualification: d.pendingQualification,
  evidence: d.evidence, approvedItems: d.approvedItems, evaluations: d.evaluations, version: d.ledgerVersion,
});
