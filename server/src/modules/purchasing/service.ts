import { randomUUID } from 'node:crypto';
import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { actorOf } from '../../identity/authService.ts';
import { domainError, errors } from '../../platform/errors.ts';
import { streamOf } from '../../records/registry.ts';
import { signRecord } from '../../../../signatures/esign/service.ts';
import { mutate, yearlyNumber } from '../../records/ledgerOps.ts';
import { type Cred } from '../items/ledgerOps.ts';
import { activeItem } from '../items/service.ts';
import { Money, amountOf, assertAmountInRange } from '../../platform/fields.ts';
import { assertMayDeliver, getSupplier } from '../suppliers/service.ts';
import { POS, REQUISITIONS, poTotal, settingRecord, type PoDoc, type PoState, type RequisitionDoc, type RequisitionState, type SettingState } from './purchasing.record.ts';

export const purchaseOrders = (s: Services) => s.db.collection<PoDoc>(POS);
export const requisitions = (s: Services) => s.db.collection<RequisitionDoc>(REQUISITIONS);
const SETTING_STREAM = streamOf('purchasing_setting', 'approval');
export const DEFAULT_THRESHOLD_CNY = 10_000;

/** The amount above which a PO needs an approval signature: the setting, else the environment, else 10 000 CNY. */
export async function approvalThreshold(s: Services): Promise<number> {
  const doc = await s.db.collection<SettingState & { _id: string }>(settingRecord.collection).findOne({ _id: 'approval' });
  if (doc) return doc.approvalThresholdCny;
  const env = Number(process.env.PROVENANT_PO_APPROVAL_THRESHOLD_CNY);
  return Money.safeParse(env).success && process.env.PROVENANT_PO_APPROVAL_THRESHOLD_CNY !== '' ? env : DEFAULT_THRESHOLD_CNY;
}

export async function setApprovalThreshold(s: Services, user: SessionUser, amount: number, reason: string) {
  await s.ledger.appendWithRetry(SETTING_STREAM, 'purchasing.thresholdChanged', { approvalThresholdCny: amount }, { actor: actorOf(user), reason });
  return approvalThreshold(s);
}


export async function getPo(s: Services, id: string): Promise<PoDoc> {
  const po = await purchaseOrders(s).findOne({ _id: id });
  if (!po) throw errors.notFound('purchase order');
  return po;
}
export async function getRequisition(s: Services, id: string): Promise<RequisitionDoc> {
  const r = await requisitions(s).findOne({ _id: id });
  if (!r) throw errors.notFound('requisition');
  return r;
}

export async function createRequisition(s: Services, user: SessionUser, input: { note?: string; lines: Array<{ itemId: string; quantity: number; needBy: string }> }) {
  const lines = [];
  for (const l of input.lines) {
    const item = await activeItem(s, l.itemId);
    lines.push({ itemId: item._id, partNumber: item.partNumber, name: item.name, quantity: l.quantity, needBy: l.needBy });
  }
  const id = randomUUID();
  await s.ledger.append(streamOf('requisition', id), 'requisition.created', { number: await yearlyNumber(s, 'REQ', actorOf(user)), note: input.note ?? '', lines }, { expectedVersion: 0, actor: actorOf(user) });
  return getRequisition(s, id);
}

export interface PoInput { supplier: string; currency: string; requisitionId?: string; lines: Array<{ itemId: string; quantity: number; unitPrice: number; dueDate: string }> }

/** A draft PO. Every line must be an item the supplier is qualified and listed (ASL) for. */
export async function createPo(s: Services, user: SessionUser, input: PoInput): Promise<PoDoc> {
  const sup = await getSupplier(s, input.supplier);
  const lines = [];
  for (const [i, l] of input.lines.entries()) {
    const item = await activeItem(s, l.itemId);
    await assertMayDeliver(s, sup._id, item._id, `body.lines.${i}.itemId`);
    if (item.control === 'serial' && !Number.isInteger(l.quantity)) throw errors.validation(`body.lines.${i}.quantity`, 'serialized items come in whole units');
    assertAmountInRange(amountOf([l]), { en: `Line ${i + 1}'s amount`, zh: `第 ${i + 1} 行金额` });
    lines.push({ lineNo: i + 1, itemId: item._id, partNumber: item.partNumber, name: item.name, unit: item.unit, quantity: l.quantity, unitPrice: l.unitPrice, dueDate: l.dueDate });
  }
  assertAmountInRange(amountOf(lines), { en: 'The order total', zh: '订单总额' });
  let requisition: RequisitionDoc | null = null;
  if (input.requisitionId) {
    requisition = await getRequisition(s, input.requisitionId);
    if (requisition.status !== 'open') throw domainError('REQUISITION_NOT_OPEN', `Requisition ${requisition.number} is ${requisition.status}.`, `请购单 ${requisition.number} 处于"${requisition.status}"状态。`);
  }
  const id = randomUUID();
  const poNumber = await yearlyNumber(s, 'PO', actorOf(user));
  await s.ledger.append(streamOf('po', id), 'po.created', {
    number: poNumber, supplier: { code: sup._id, name: sup.name }, currency: input.currency, lines, requisitionId: input.requisitionId ?? null,
  }, { expectedVersion: 0, actor: actorOf(user) });
  if (requisition) {
    await mutate<RequisitionState>(s, streamOf('requisition', requisition._id), actorOf(user), (r) => (r?.status === 'open' ? { type: 'requisition.ordered', data: { poId: id, poNumber } } : null));
  }
  return getPo(s, id);
}

/**
 * Issues a draft PO. The supplier checks run again (a supplier may have been disqualified since
 * the draft); at or under the threshold, in CNY, the PO is approved on issue, otherwise it waits
 * for an approval signature. Other currencies always need one (no exchange rates are kept).
 */
export async function issuePo(s: Services, user: SessionUser, id: string) {
  const po = await getPo(s, id);
  for (const [i, l] of po.lines.entries()) await assertMayDeliver(s, po.supplier.code, l.itemId, `lines.${i}.itemId`);
  const threshold = await approvalThreshold(s);
  const needsApproval = po.currency !== 'CNY' || po.total > threshold;
  await mutate<PoState>(s, streamOf('po', id), actorOf(user), (p) => {
    if (p!.status !== 'draft') throw errors.illegalTransition('issue', p!.status);
    return { type: 'po.issued', data: { total: poTotal(p!.lines), threshold, needsApproval } };
  });
  if (!needsApproval) await s.ledger.appendWithRetry(streamOf('po', id), 'po.approved', { signatureId: null, automatic: true }, { actor: actorOf(user) });
  return getPo(s, id);
}

export async function approvePo(s: Services, user: SessionUser, id: string, req: Cred & { version: number }) {
  await getPo(s, id);
  await signRecord(s, user, streamOf('po', id), { meaning: 'approved', password: req.password, totp: req.totp, version: req.version });
  return getPo(s, id);
}

/** Cancels a PO nothing was received on, or short-closes a partially received one. */
export async function endPo(s: Services, user: SessionUser, id: string, how: 'cancel' | 'close', reason: string) {
  await getPo(s, id);
  await mutate<PoState>(s, streamOf('po', id), actorOf(user), (p) => {
    const ok = how === 'cancel' ? ['draft', 'pending_approval', 'approved'].includes(p!.status) && p!.receipts.length === 0 : ['partially_received', 'approved', 'received'].includes(p!.status);
    if (!ok) throw errors.illegalTransition(how, p!.status);
    return { type: how === 'cancel' ? 'po.cancelled' : 'po.closed', data: {}, reason };
  });
  return getPo(s, id);
}

export async function listPos(s: Services, f: { status?: string; supplier?: string }) {
  const q: Record<string, unknown> = {};
  if (f.status) q.status = f.status;
  if (f.supplier) q['supplier.code'] = f.supplier;
  return purchaseOrders(s).find(q).sort({ createdAt: -1 }).limit(500).toArray();
}
