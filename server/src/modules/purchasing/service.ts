import { randomUUID } from 'node:crypto';
import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { errors } from '../../platform/errors.ts';
import { streamOf } from '../../records/registry.ts';
import { asUser, runCommand } from '../../records/command.ts';
import { assertTransition } from '../../records/lifecycle.ts';
import { yearlyNumber } from '../../records/ledgerOps.ts';
import { activeItem } from '../items/service.ts';
import { amountOf, assertAmountInRange } from '../../platform/fields.ts';
import { assertMayDeliver, getSupplier } from '../suppliers/service.ts';
import type { PoDoc, PoLine } from './purchasing.record.ts';
import type { RequisitionState } from './requisition.record.ts';
import { poEvents, requisitionEvents } from './events.ts';
import { requisitionLifecycle } from './requisition.lifecycle.ts';
import { getPo, getRequisition } from './queries.ts';

// Purchasing commands: creating requisitions and POs, and every lifecycle action on a PO or a
// requisition through the one command path (po.lifecycle.ts, requisition.lifecycle.ts).
export { getPo, getRequisition, purchaseOrders, requisitions } from './queries.ts';

export async function createRequisition(
  s: Services,
  user: SessionUser,
  input: { note?: string; lines: Array<{ itemId: string; quantity: number; needBy: string }> },
) {
  const lines: RequisitionState['lines'] = [];
  for (const l of input.lines) {
    const item = await activeItem(s, l.itemId);
    lines.push({
      itemId: item._id,
      partNumber: item.partNumber,
      name: item.name,
      quantity: l.quantity,
      needBy: l.needBy,
    });
  }
  const id = randomUUID();
  await asUser(user, async () => {
    const { type, data } = requisitionEvents.change('requisition.created', {
      number: await yearlyNumber(s, 'REQ'),
      note: input.note ?? '',
      lines,
    });
    await s.ledger.append(streamOf('requisition', id), type, data, { expectedVersion: 0 });
  });
  return getRequisition(s, id);
}

export interface PoInput {
  supplier: string;
  currency: string;
  requisitionId?: string;
  lines: Array<{ itemId: string; quantity: number; unitPrice: number; dueDate: string }>;
}

/** A draft PO. Every line must be an item the supplier is qualified and listed (ASL) for; a requisition it orders must be open. */
export async function createPo(s: Services, user: SessionUser, input: PoInput): Promise<PoDoc> {
  const sup = await getSupplier(s, input.supplier);
  const lines: Array<Omit<PoLine, 'received'>> = [];
  for (const [i, l] of input.lines.entries()) {
    const item = await activeItem(s, l.itemId);
    await assertMayDeliver(s, sup._id, item._id, `body.lines.${i}.itemId`);
    if (item.control === 'serial' && !Number.isInteger(l.quantity)) {
      throw errors.validation(`body.lines.${i}.quantity`, {
        en: 'serialized items come in whole units',
        zh: '按序列号管理的物料只能按整件订购',
      });
    }
    assertAmountInRange(amountOf([l]), { en: `Line ${i + 1}'s amount`, zh: `第 ${i + 1} 行金额` });
    lines.push({
      lineNo: i + 1,
      itemId: item._id,
      partNumber: item.partNumber,
      name: item.name,
      unit: item.unit,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      dueDate: l.dueDate,
    });
  }
  assertAmountInRange(amountOf(lines), { en: 'The order total', zh: '订单总额' });
  const requisitionId = input.requisitionId ?? null;
  // the requisition's own rule (open, and this user may order it), judged before a PO number is taken
  if (requisitionId) assertTransition(requisitionLifecycle, 'order', await getRequisition(s, requisitionId), user);
  const id = randomUUID();
  const poNumber = await asUser(user, async () => {
    const number = await yearlyNumber(s, 'PO');
    const { type, data } = poEvents.change('po.created', {
      number,
      supplier: { code: sup._id, name: sup.name },
      currency: input.currency,
      lines,
      requisitionId,
    });
    await s.ledger.append(streamOf('po', id), type, data, { expectedVersion: 0 });
    return number;
  });
  if (requisitionId) await orderRequisition(s, user, requisitionId, id, poNumber);
  return getPo(s, id);
}

/** The PO stands once created: a requisition ordered or cancelled meanwhile (a lost race) is left as it is. */
async function orderRequisition(s: Services, user: SessionUser, requisitionId: string, poId: string, poNumber: string) {
  try {
    await runCommand(s, user, streamOf('requisition', requisitionId), 'order', { poId, poNumber });
  } catch (err) {
    if ((err as { code?: string }).code !== 'REQUISITION_NOT_OPEN') throw err;
  }
}

const onPo = async (
  s: Services,
  user: SessionUser,
  id: string,
  action: string,
  input: Record<string, unknown> = {},
) => {
  await runCommand(s, user, streamOf('po', id), action, input);
  return getPo(s, id);
};

/** Issues a draft PO: approved at once at or under the threshold in CNY, otherwise waiting for an approval signature. */
export const issuePo = (s: Services, user: SessionUser, id: string, input: { version?: number } = {}) =>
  onPo(s, user, id, 'issue', input);

/** The approval signature ("approved") of a PO above the threshold, by someone other than its author. */
export const approvePo = (
  s: Services,
  user: SessionUser,
  id: string,
  input: { password: string; totp?: string; version: number },
) => onPo(s, user, id, 'approve', input);

/** Cancels a PO nothing was received on, or short-closes a partially received one. */
export const endPo = (
  s: Services,
  user: SessionUser,
  id: string,
  how: 'cancel' | 'close',
  input: { reason: string; version?: number },
) => onPo(s, user, id, how, input);

export async function cancelRequisition(
  s: Services,
  user: SessionUser,
  id: string,
  input: { reason: string; version?: number },
) {
  await runCommand(s, user, streamOf('requisition', id), 'cancel', input);
  return getRequisition(s, id);
}
