import { randomUUID } from 'node:crypto';
import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { actorOf } from '../../identity/authService.ts';
import { domainError, errors } from '../../platform/errors.ts';
import { streamOf } from '../../records/registry.ts';
import { claim, mutate } from '../../records/ledgerOps.ts';
import { signedDecision, type Cred } from '../items/ledgerOps.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import { activeItem, getItem } from '../items/service.ts';
import { SUPPLIERS, type Qualification, type SupplierDoc, type SupplierState } from './supplier.record.ts';

export const suppliers = (s: Services) => s.db.collection<SupplierDoc>(SUPPLIERS);
export const CERTIFICATE_WARNING_DAYS = 30;

export async function getSupplier(s: Services, code: string): Promise<SupplierDoc> {
  const d = await suppliers(s).findOne({ _id: code });
  if (!d) throw errors.notFound(`supplier ${code}`);
  return d;
}

export async function createSupplier(s: Services, user: SessionUser, code: string, data: { name: { zh: string; en: string }; country: string; contact: string; address: string }) {
  await claim(s, streamOf('supplier', code), data, `supplier ${code}`, actorOf(user), 'supplier.created');
  return getSupplier(s, code);
}

/** Appends one event to an existing supplier (on the state the event lands on). */
async function onSupplier(s: Services, user: SessionUser, code: string, decide: (st: SupplierState) => { type: string; data: Record<string, unknown>; reason?: string } | null) {
  await mutate<SupplierState>(s, streamOf('supplier', code), actorOf(user), (st) => {
    if (!st) throw errors.notFound(`supplier ${code}`);
    return decide(st);
  });
  return getSupplier(s, code);
}

export const updateSupplier = (s: Services, user: SessionUser, code: string, patch: Record<string, unknown>, reason: string) =>
  onSupplier(s, user, code, () => ({ type: 'supplier.updated', data: patch, reason }));

/** QA changes the qualification status: a proposal with its reason, completed by the e-signature "approved". */
export async function changeQualification(s: Services, user: SessionUser, code: string, status: Qualification, reason: string, cred: Cred) {
  await getSupplier(s, code);
  await signedDecision(s, user, streamOf('supplier', code), 'approved', cred,
    () => ({ type: 'supplier.qualificationProposed', data: { status, reason }, reason }),
    (st: SupplierState) => {
      if (st.status === status) throw domainError('QUALIFICATION_UNCHANGED', `The supplier is already ${status}.`, `该供应商已是"${status}"状态。`);
    });
  return getSupplier(s, code);
}

export async function addEvidence(s: Services, user: SessionUser, code: string, ev: { kind: string; title: string; reference?: string; date: string; expiryDate?: string; result?: string }) {
  if (ev.kind === 'certificate' && !ev.expiryDate) throw errors.validation('body.expiryDate', 'a certificate needs its expiry date');
  return onSupplier(s, user, code, () => ({ type: 'supplier.evidenceAdded', data: {
    id: randomUUID(), kind: ev.kind, title: ev.title, reference: ev.reference ?? null, date: ev.date, expiryDate: ev.expiryDate ?? null, result: ev.result ?? '',
  } }));
}

export async function approveItem(s: Services, user: SessionUser, code: string, itemId: string) {
  const item = await activeItem(s, itemId);
  return onSupplier(s, user, code, (st) => (st.approvedItemIds.includes(itemId) ? null : { type: 'supplier.itemApproved', data: { itemId, partNumber: item.partNumber } }));
}

export async function removeItem(s: Services, user: SessionUser, code: string, itemId: string, reason: string) {
  return onSupplier(s, user, code, (st) => {
    if (!st.approvedItemIds.includes(itemId)) throw errors.notFound('approved supplier list entry');
    return { type: 'supplier.itemRemoved', data: { itemId }, reason };
  });
}

export const evaluate = (s: Services, user: SessionUser, code: string, ev: { period: string; quality: number; delivery: number; comment?: string }) =>
  onSupplier(s, user, code, () => ({ type: 'supplier.evaluated', data: { id: randomUUID(), period: ev.period, quality: ev.quality, delivery: ev.delivery, comment: ev.comment ?? '' } }));

/**
 * May this supplier deliver this item? Approved or conditionally approved, and on the ASL for
 * it. Asked when a PO line is written and again when the PO is issued.
 */
export async function assertMayDeliver(s: Services, code: string, itemId: string, path: string) {
  const sup = await getSupplier(s, code);
  const item = await getItem(s, itemId);
  const details = { supplier: code, item: item.partNumber, path };
  if (sup.status === 'disqualified') {
    throw domainError('SUPPLIER_DISQUALIFIED', `Supplier ${code} is disqualified.`, `供应商 ${code} 已被取消资格。`, 409, details);
  }
  if (sup.status !== 'approved' && sup.status !== 'conditional') {
    throw domainError('SUPPLIER_NOT_APPROVED', `Supplier ${code} is not qualified yet.`, `供应商 ${code} 尚未通过资格认定。`, 409, details);
  }
  if (!sup.approvedItemIds.includes(itemId)) {
    throw domainError('SUPPLIER_NOT_APPROVED_FOR_ITEM', `Supplier ${code} is not on the approved supplier list for ${item.partNumber}.`,
      `供应商 ${code} 不在物料 ${item.partNumber} 的合格供方名录中。`, 409, details);
  }
}

/** Certificates expired or expiring within 30 days (the latest certificate of each title counts). */
export async function certificateAlerts(s: Services) {
  const today = todayUtc();
  const horizon = addDays(today, CERTIFICATE_WARNING_DAYS);
  const out = [];
  for (const sup of await suppliers(s).find({ 'evidence.kind': 'certificate' }).toArray()) {
    const latest = new Map<string, (typeof sup.evidence)[number]>();
    for (const e of sup.evidence) {
      if (e.kind !== 'certificate' || !e.expiryDate) continue;
      const prev = latest.get(e.title);
      if (!prev || prev.expiryDate! < e.expiryDate) latest.set(e.title, e);
    }
    for (const c of latest.values()) {
      if (c.expiryDate! > horizon) continue;
      const daysLeft = Math.round((Date.parse(c.expiryDate!) - Date.parse(today)) / 86_400_000);
      out.push({ kind: c.expiryDate! < today ? 'certificate_expired' : 'certificate_expiring', supplier: { code: sup._id, name: sup.name, status: sup.status },
        certificate: { id: c.id, title: c.title, reference: c.reference, expiryDate: c.expiryDate }, daysLeft });
    }
  }
  return out.sort((a, b) => a.daysLeft - b.daysLeft);
}

export async function listSuppliers(s: Services, f: { status?: string; item?: string }) {
  const q: Record<string, unknown> = {};
  if (f.status) q.status = f.status;
  if (f.item) q.approvedItemIds = f.item;
  return suppliers(s).find(q).sort({ _id: 1 }).limit(1000).toArray();
}
