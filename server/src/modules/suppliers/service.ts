import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { errors } from '../../platform/errors.ts';
import { streamOf } from '../../records/registry.ts';
import { claim } from '../../records/ledgerOps.ts';
import { asUser, runCommand } from '../../records/command.ts';
import type { CommandInput } from '../../records/lifecycle.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import { getItem } from '../items/service.ts';
import { SUPPLIERS, type Qualification, type SupplierDoc } from './supplier.record.ts';
import { DECISIONS } from './supplier.lifecycle.ts';
import { E } from './errors.ts';

// Supplier commands: creation, and every lifecycle action (supplier.lifecycle.ts) through the one command path.
export const suppliers = (s: Services) => s.db.collection<SupplierDoc>(SUPPLIERS);
export const CERTIFICATE_WARNING_DAYS = 30;

export async function getSupplier(s: Services, code: string): Promise<SupplierDoc> {
  const d = await suppliers(s).findOne({ _id: code });
  if (!d) throw errors.notFound(`supplier ${code}`);
  return d;
}

export async function createSupplier(
  s: Services,
  user: SessionUser,
  code: string,
  data: { name: { zh: string; en: string }; country: string; contact: string; address: string },
) {
  await asUser(user, () =>
    claim(s, streamOf('supplier', code), data, `supplier ${code}`, undefined, 'supplier.created'),
  );
  return getSupplier(s, code);
}

/** One lifecycle action on a supplier; an unknown supplier is a 404 naming it. */
export async function onSupplier(s: Services, user: SessionUser, code: string, action: string, input: CommandInput) {
  await getSupplier(s, code);
  await runCommand(s, user, streamOf('supplier', code), action, input);
  return getSupplier(s, code);
}

/** QA's qualification decision: a proposal with its reason, completed by the e-signature "approved". */
export const changeQualification = (
  s: Services,
  user: SessionUser,
  code: string,
  status: Exclude<Qualification, 'pending'>,
  reason: string,
  cred: { password: string; totp?: string; version?: number },
) =>
  onSupplier(s, user, code, DECISIONS[status], {
    reason,
    password: cred.password,
    totp: cred.totp,
    version: cred.version,
  });

/** Contact data (and the version the user saw, if sent along in `patch`). */
export const updateSupplier = (
  s: Services,
  user: SessionUser,
  code: string,
  patch: Record<string, unknown>,
  reason: string,
) => onSupplier(s, user, code, 'update', { ...patch, reason });

export const addEvidence = (
  s: Services,
  user: SessionUser,
  code: string,
  ev: { kind: string; title: string; reference?: string; date: string; expiryDate?: string; result?: string },
) => onSupplier(s, user, code, 'add_evidence', ev);

export const approveItem = (s: Services, user: SessionUser, code: string, itemId: string, version?: number) =>
  onSupplier(s, user, code, 'add_to_asl', { itemId, version });

export const removeItem = (
  s: Services,
  user: SessionUser,
  code: string,
  itemId: string,
  reason: string,
  version?: number,
) => onSupplier(s, user, code, 'remove_from_asl', { itemId, reason, version });

export const evaluate = (
  s: Services,
  user: SessionUser,
  code: string,
  ev: { period: string; quality: number; delivery: number; comment?: string },
) => onSupplier(s, user, code, 'evaluate', ev);

/**
 * May this supplier deliver this item? Approved or conditionally approved, and on the ASL for
 * it. Asked when a PO line is written, when the PO is issued and when goods are received.
 */
export async function assertMayDeliver(s: Services, code: string, itemId: string, path: string) {
  const sup = await getSupplier(s, code);
  const item = await getItem(s, itemId);
  const details = { supplier: code, item: item.partNumber, path };
  if (sup.status === 'disqualified') throw E.SUPPLIER_DISQUALIFIED({ supplier: code }, details);
  if (sup.status !== 'approved' && sup.status !== 'conditional')
    throw E.SUPPLIER_NOT_APPROVED({ supplier: code }, details);
  if (!sup.approvedItemIds.includes(itemId))
    throw E.SUPPLIER_NOT_APPROVED_FOR_ITEM({ supplier: code, item: item.partNumber }, details);
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
      out.push({
        kind: c.expiryDate! < today ? 'certificate_expired' : 'certificate_expiring',
        supplier: { code: sup._id, name: sup.name, status: sup.status },
        certificate: { id: c.id, title: c.title, reference: c.reference, expiryDate: c.expiryDate },
        daysLeft,
      });
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
