import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { actorOf } from '../../identity/authService.ts';
import { domainError, errors } from '../../platform/errors.ts';
import { streamOf } from '../../records/registry.ts';
import { mutate } from '../../records/ledgerOps.ts';
import { type Cred } from '../items/ledgerOps.ts';
import { locations } from '../items/service.ts';
import { createLot } from '../inventory/service.ts';
import type { LotState } from '../inventory/lot.record.ts';
import { labelDates } from './labels.ts';
import { assertQuantityInRange, sumQty } from '../../platform/fields.ts';
import { getWorkOrder, onWorkOrder, requirePermission, requireState, signWorkOrder, woStream } from './service.ts';
import { signaturesOf } from '../../../../signatures/esign/service.ts';
import { checklist, isDone, requiredFor, type WorkOrderState } from './workorder.model.ts';

// The work order's own lifecycle: release to the floor (supervisor signs "approved"), cancel,
// completion with its output in quarantine, deviation closure (QA signs "approved"), and the
// product release (QA signs "released" on a complete DHR), which releases the output lots.
export interface ActionInput extends Partial<Cred> { version: number; reason?: string }

function credOf(input: ActionInput): Cred {
  if (!input.password) throw errors.validation('body.password', 'your password is required to sign');
  return { password: input.password, totp: input.totp };
}
function atVersion(w: { ledgerVersion: number }, version: number) {
  if (version !== w.ledgerVersion) throw errors.staleVersion(version, w.ledgerVersion);
}

export async function performAction(s: Services, user: SessionUser, id: string, action: 'release' | 'cancel' | 'qa_release', input: ActionInput) {
  requirePermission(user, action);
  const w = await getWorkOrder(s, id);
  if (action === 'cancel') {
    if (!input.reason) throw errors.validation('body.reason', 'a reason is required');
    atVersion(w, input.version); // cancel what the user saw, not what changed since
    return onWorkOrder(s, user, id, (cur) => {
      requireState(cur, 'cancel', ['planned']);
      return { type: 'workorder.cancelled', data: {}, reason: input.reason };
    });
  }
  requireState(w, action === 'release' ? 'release' : 'release the product', action === 'release' ? ['planned'] : ['completed']);
  atVersion(w, input.version);
  if (action === 'release') return signWorkOrder(s, user, id, 'release', credOf(input), {}, (cur) => requireState(cur, 'release', ['planned']));
  const complete = (cur: WorkOrderState) => {
    requireState(cur, 'release the product', ['completed']);
    const open = checklist(cur).filter((c) => !c.ok).map((c) => c.key);
    if (open.length) throw domainError('DHR_INCOMPLETE', `The DHR is not complete: ${open.join(', ')}.`, `DHR 不完整:${open.join('、')}。`, 409, { checklist: checklist(cur) });
    const doers = new Set(cur.operations.flatMap((op) => [op.performed?.byId, op.verified?.byId]));
    if (doers.has(user.id)) throw domainError('SIGNER_IS_AUTHOR', 'Whoever performed or verified steps of this order cannot release its product.', '执行或复核过本工单工序的人员不能放行其产品。');
  };
  complete(w);
  const done = await signWorkOrder(s, user, id, 'qa_release', credOf(input), { reason: input.reason }, complete);
  if (done.state === 'closed') await releaseOutput(s, user, done);
  return getWorkOrder(s, id);
}

/**
 * The released DHR releases its output: each lot or serial leaves quarantine, carrying the work
 * order's QA release signature itself, so the lot's own stream proves its release (the lot reducer
 * counts the event only with that sealed signature, see releasedByItsDhr).
 */
async function releaseOutput(s: Services, user: SessionUser, w: WorkOrderState) {
  const signature = (await signaturesOf(s, woStream(w.id))).find((e) => e.data.signatureId === w.release?.signatureId)?.data;
  if (!signature) {
    throw domainError('RELEASE_SIGNATURE_MISSING', `Work order ${w.number} has no QA release signature on its record; its output stays in quarantine.`,
      `工单 ${w.number} 的记录中没有 QA 放行签名,其产出仍处于待检状态。`, 409);
  }
  for (const lotId of w.output?.lotIds ?? []) {
    await mutate<LotState>(s, streamOf('lot', lotId), actorOf(user), (l) => (l && l.status === 'quarantine'
      ? { type: 'lot.releasedByDhr', data: { workOrder: w.number, workOrderId: w.id, signatureId: signature.signatureId, signature } } : null));
  }
}

export async function closeDeviation(s: Services, user: SessionUser, id: string, deviationId: string, input: Cred & { disposition: string; rationale: string }) {
  requirePermission(user, 'close_deviation');
  const check = (cur: WorkOrderState) => {
    requireState(cur, 'close a deviation', ['in_progress', 'completed']);
    const dev = cur.deviations.find((d) => d.id === deviationId);
    if (!dev) throw errors.notFound('deviation');
    if (dev.status !== 'open') throw domainError('DEVIATION_CLOSED', `Deviation ${dev.number} is already closed.`, `偏差 ${dev.number} 已关闭。`);
  };
  check(await getWorkOrder(s, id));
  return signWorkOrder(s, user, id, 'close_deviation', input, { deviationId, data: { disposition: input.disposition, rationale: input.rationale }, reason: input.rationale }, check);
}

/** workOrderCompleter: every step done; the good output goes to quarantine as one lot, or one unit per serial. */
export async function completeWorkOrder(s: Services, user: SessionUser, id: string, c: { goodQuantity: number; scrappedQuantity: number; scrappedSerials?: string[]; reason?: string }) {
  requirePermission(user, 'complete');
  await getWorkOrder(s, id); // an unknown work order is a 404 before anything is looked up
  const quarantine = (await locations(s).find({ kind: 'quarantine', active: true }).toArray()).sort((a, b) => a.code.localeCompare(b.code))[0];
  if (!quarantine) throw domainError('NO_QUARANTINE_LOCATION', 'No active quarantine location to put the output in.', '没有可用的待检库位存放产出。');
  const lotIds: string[] = [];
  let goodSerials: string[] = [];
  const done = await onWorkOrder(s, user, id, (cur) => {
    requireState(cur, 'complete', ['in_progress']);
    const open = cur.operations.find((op) => !isDone(op));
    if (open) throw domainError('STEPS_OPEN', `Operation ${open.seq} is not done yet.`, `工序 ${open.seq} 尚未完成。`, 409, { seq: open.seq });
    if (c.scrappedQuantity > 0 && !c.reason) throw errors.validation('body.reason', 'scrapped output needs a reason');
    // the output and the material it stands for stay quantities (the reconciliation's standard is computed from them)
    const produced = sumQty(c.goodQuantity, c.scrappedQuantity);
    assertQuantityInRange(produced, { en: `The output of ${cur.number}`, zh: `工单 ${cur.number} 的产出` });
    for (const l of cur.bom) assertQuantityInRange(requiredFor(l.quantityPer, produced), { en: `${l.partNumber} for this output`, zh: `该产出所需的 ${l.partNumber}` });
    if (cur.serials.length) {
      const scrapped = c.scrappedSerials ?? [];
      if (scrapped.some((sn) => !cur.serials.includes(sn)) || scrapped.length !== c.scrappedQuantity) throw errors.validation('body.scrappedSerials', 'name each scrapped serial of this order');
      goodSerials = cur.serials.filter((sn) => !scrapped.includes(sn));
      if (goodSerials.length !== c.goodQuantity) throw errors.validation('body.goodQuantity', `${goodSerials.length} serials remain good`);
    }
    lotIds.splice(0, lotIds.length, ...(cur.serials.length ? goodSerials.map(() => crypto.randomUUID()) : c.goodQuantity > 0 ? [crypto.randomUUID()] : []));
    return { type: 'workorder.completed', data: { goodQuantity: c.goodQuantity, scrappedQuantity: c.scrappedQuantity, lotIds, serials: goodSerials }, ...(c.reason ? { reason: c.reason } : {}) };
  });
  const { productionDate: mfgDate, expiryDate } = labelDates(done);
  const item = { id: done.item.id, partNumber: done.item.partNumber, name: done.item.name, unit: done.item.unit, control: done.item.control };
  for (const [i, lotId] of lotIds.entries()) {
    const serial = goodSerials[i] ?? null;
    await createLot(s, lotId, 'lot.produced', {
      item, lotNumber: done.lotNumber, kind: serial ? 'serial' : 'lot', serial, quantity: serial ? 1 : c.goodQuantity, location: quarantine._id,
      source: `work-order:${done.number}`, workOrderId: done.id, mfgDate, expiryDate,
    }, actorOf(user));
  }
  return getWorkOrder(s, id);
}
