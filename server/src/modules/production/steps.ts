import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { domainError, errors } from '../../platform/errors.ts';
import type { Cred } from '../items/ledgerOps.ts';
import { yearlyNumber } from '../../records/ledgerOps.ts';
import { actorOf } from '../../identity/authService.ts';
import { isTrained } from '../training/trainingService.ts';
import { equipment } from '../equipment/service.ts';
import { calibrationRefusal } from '../equipment/service.ts';
import { getWorkOrder, requirePermission, requireState, signWorkOrder } from './service.ts';
import { nextOperation, type StepValue, type WoOperation, type WorkOrderState } from './workorder.model.ts';

// Step execution on the shop floor: operations strictly in routing order (21 CFR 11.10(f)),
// only by people trained on the effective revision of the step's work instruction, only with
// calibrated equipment of the routing's type; values are recorded as measured, and each value
// outside its limits opens a deviation that blocks the release.
export interface PerformInput extends Cred { values: Record<string, number>; equipmentIds: string[]; comment?: string }

function operationOf(w: WorkOrderState, seq: number): WoOperation {
  const op = w.operations.find((o) => o.seq === seq);
  if (!op) throw errors.notFound('operation');
  return op;
}

/** The step must be the next one and in the expected status (judged again on the state the proposal lands on). */
function mustBeNext(w: WorkOrderState, seq: number, status: 'pending' | 'performed') {
  requireState(w, status === 'pending' ? 'perform' : 'verify', ['released', 'in_progress']);
  const op = operationOf(w, seq);
  const next = nextOperation(w);
  if (op.status !== status || next?.seq !== seq) {
    if (status === 'pending' && op.status !== 'pending') throw domainError('STEP_ALREADY_PERFORMED', `Operation ${seq} was already performed.`, `工序 ${seq} 已执行。`);
    if (status === 'performed' && (!op.secondPersonVerify || op.status !== 'performed')) throw domainError('STEP_NOT_AWAITING_VERIFICATION', `Operation ${seq} is not awaiting verification.`, `工序 ${seq} 不在待复核状态。`);
    throw domainError('STEP_OUT_OF_ORDER', `Operation ${next!.seq} (${next!.name.en}) comes first; steps cannot be skipped.`,
      `须先完成工序 ${next!.seq}(${next!.name.zh}),不得跳过工序。`, 409, { next: next!.seq });
  }
  return op;
}

async function mustBeTrained(s: Services, user: SessionUser, op: WoOperation) {
  if (!op.trainingRequired) return null;
  const t = await isTrained(s, user.id, op.workInstructionId);
  const wi = op.workInstruction.number;
  if (!t.revision) throw domainError('NOT_TRAINED', `${wi} has no effective revision; nobody can be trained on it.`, `${wi} 没有生效版本,无法完成培训。`, 409, { document: wi, revision: null });
  if (!t.trained) {
    throw domainError('NOT_TRAINED', `You are not trained on ${wi} revision ${t.revision} (${op.workInstruction.title.en}); complete the training before performing this step.`,
      `您尚未完成 ${wi} 第 ${t.revision} 版(${op.workInstruction.title.zh})的培训,完成培训后方可执行此工序。`, 403, { document: wi, revision: t.revision });
  }
  return t.revision;
}

async function usableEquipment(s: Services, op: WoOperation, ids: string[]) {
  if (op.equipmentType && ids.length === 0) {
    throw domainError('EQUIPMENT_REQUIRED', `Operation ${op.seq} needs equipment of type "${op.equipmentType}".`, `工序 ${op.seq} 需要使用"${op.equipmentType}"类设备。`, 400);
  }
  const unique = [...new Set(ids)];
  const found = await equipment(s).find({ _id: { $in: unique } }).toArray();
  return unique.map((id, i) => {
    const q = found.find((f) => f._id === id);
    if (!q) throw errors.validation(`body.equipmentIds.${i}`, `no equipment "${id}"`);
    if (op.equipmentType && q.type !== op.equipmentType) {
      throw domainError('EQUIPMENT_WRONG_TYPE', `${q.code} is a ${q.type}; operation ${op.seq} needs a ${op.equipmentType}.`, `${q.code} 属于"${q.type}",工序 ${op.seq} 需要"${op.equipmentType}"。`, 409);
    }
    const refusal = calibrationRefusal(q);
    if (refusal) throw refusal;
    return { id: q._id, code: q.code, name: q.name, calibrationDue: q.calibrationDue };
  });
}

function measured(op: WoOperation, values: Record<string, number>): StepValue[] {
  const missing = op.captures.filter((c) => typeof values[c.name] !== 'number' || !Number.isFinite(values[c.name])).map((c) => c.name);
  if (missing.length) throw domainError('VALUE_MISSING', `Enter ${missing.join(', ')} for operation ${op.seq}.`, `请填写工序 ${op.seq} 的 ${missing.join('、')}。`, 400, { missing });
  const unknown = Object.keys(values).filter((k) => !op.captures.some((c) => c.name === k));
  if (unknown.length) throw errors.validation('body.values', `operation ${op.seq} does not capture ${unknown.join(', ')}`);
  return op.captures.map((c) => {
    const value = values[c.name];
    return { name: c.name, value, unit: c.unit, lower: c.lower, upper: c.upper, inSpec: (c.lower === null || value >= c.lower) && (c.upper === null || value <= c.upper) };
  });
}

/** stepPerformer: every refusal is decided before the password is checked; then the operator signs "performed". */
export async function performStep(s: Services, user: SessionUser, id: string, seq: number, input: PerformInput) {
  requirePermission(user, 'perform');
  const w = await getWorkOrder(s, id);
  const op = mustBeNext(w, seq, 'pending');
  const wiRevision = await mustBeTrained(s, user, op);
  const used = await usableEquipment(s, op, input.equipmentIds);
  const values = measured(op, input.values);
  // Deviation numbers are allocated only once the operator's password has passed (a wrong password
  // must not burn DEV-… numbers): the proposal is judged with the numbers still empty, then filled in.
  const deviations = values.filter((x) => !x.inSpec)
    .map((v) => ({ id: crypto.randomUUID(), number: '', seq, capture: v.name, value: v.value, lower: v.lower, upper: v.upper }));
  const allocateNumbers = async () => {
    for (const d of deviations) d.number = await yearlyNumber(s, 'DEV', actorOf(user));
  };
  return signWorkOrder(s, user, id, 'perform', input, { seq, data: { values, equipment: used, comment: input.comment ?? null, wiRevision, deviations } },
    (cur) => { mustBeNext(cur, seq, 'pending'); }, allocateNumbers);
}

/** stepVerifier: a second, trained person signs "verified"; never the one who performed it. */
export async function verifyStep(s: Services, user: SessionUser, id: string, seq: number, cred: Cred) {
  requirePermission(user, 'verify');
  const w = await getWorkOrder(s, id);
  const op = mustBeNext(w, seq, 'performed');
  if (op.performed?.byId === user.id) throw domainError('SIGNER_IS_AUTHOR', 'Whoever performed a step cannot verify it.', '执行人不能复核自己执行的工序。', 409);
  await mustBeTrained(s, user, op);
  return signWorkOrder(s, user, id, 'verify', cred, { seq }, (cur) => { mustBeNext(cur, seq, 'performed'); });
}
