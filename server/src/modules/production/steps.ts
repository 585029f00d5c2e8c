import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { errors } from '../../platform/errors.ts';
import { yearlyNumber } from '../../records/ledgerOps.ts';
import type { Blocker, CommandContext } from '../../records/lifecycle.ts';
import { isTrained } from '../training/trainingService.ts';
import { calibrationRefusal, equipment, maintenanceRefusal } from '../equipment/service.ts';
import { E } from './errors.ts';
import type { EnteredValue } from './schema.ts';
import {
  nextOperation,
  type StepValue,
  type UsedEquipment,
  type WoOperation,
  type WorkOrderState,
} from './workorder.model.ts';

// The signed shop-floor steps' checks (workorder.lifecycle.ts declares perform and verify):
// operations strictly in routing order (21 CFR 11.10(f)), only by people trained on the
// effective revision of the step's work instruction, only with calibrated equipment of the
// routing's type; values are recorded as measured, and each value outside its limits opens a
// deviation that blocks the release.
type Ctx = CommandContext<WorkOrderState>;
export interface OpenedDeviation {
  id: string;
  number: string;
  seq: number;
  capture: string;
  value: number;
  text?: string;
  lower: number | null;
  upper: number | null;
}
export interface PerformPlan {
  seq: number;
  values: StepValue[];
  equipment: UsedEquipment[];
  comment: string | null;
  wiRevision: string | null;
  deviations: OpenedDeviation[];
}

/** The next operation, as the target of `status`'s action: perform (pending) or verify (performed). */
export function nextTarget(w: WorkOrderState, status: 'pending' | 'performed'): Array<{ seq: number }> {
  const next = nextOperation(w);
  return next && next.status === status ? [{ seq: next.seq }] : [];
}

/** The operation named by the input (`seq`) must be the next one and in the expected status (judged again where the proposal lands). */
export function mustBeNext(w: WorkOrderState, seq: number, status: 'pending' | 'performed'): WoOperation {
  const op = w.operations.find((o) => o.seq === seq);
  if (!op) throw errors.notFound('operation');
  const next = nextOperation(w);
  if (op.status === status && next?.seq === seq) return op;
  if (status === 'pending' && op.status !== 'pending') throw E.STEP_ALREADY_PERFORMED({ seq });
  if (status === 'performed' && (!op.secondPersonVerify || op.status !== 'performed'))
    throw E.STEP_NOT_AWAITING_VERIFICATION({ seq });
  throw E.STEP_OUT_OF_ORDER({ seq: next!.seq, name: next!.name }, { next: next!.seq });
}

const seqOf = (c: Ctx) => {
  const seq = c.input.seq;
  if (typeof seq !== 'number') throw errors.validation('params.seq', { en: 'name the operation', zh: '请指定工序' });
  return seq;
};

/** The revision of the step's work instruction the user is trained on (null when the step needs no training). */
async function mustBeTrained(s: Services, user: SessionUser, op: WoOperation) {
  if (!op.trainingRequired) return null;
  const t = await isTrained(s, user.id, op.workInstructionId);
  if (!t.trained || !t.revision) {
    throw E.NOT_TRAINED(
      { wi: op.workInstruction.number, revision: t.revision, title: op.workInstruction.title },
      { document: op.workInstruction.number, revision: t.revision },
    );
  }
  return t.revision;
}

/**
 * What mustBeTrained would refuse, before the operator types a value: the step offered by the
 * lifecycle (`target.seq`) names the work instruction to train on, and links to it (the inbox and
 * the shop floor show it instead of an action that would be refused after the signature).
 */
export async function trainingBlocker(
  s: Services,
  w: WorkOrderState,
  user: SessionUser,
  target?: Record<string, string | number>,
): Promise<Blocker | null> {
  const op = w.operations.find((o) => o.seq === target?.seq);
  if (!op?.trainingRequired) return null;
  const t = await isTrained(s, user.id, op.workInstructionId);
  if (t.trained && t.revision) return null;
  const wi = op.workInstruction.number;
  return {
    code: 'NOT_TRAINED',
    en: t.revision
      ? `Complete training on ${wi} rev ${t.revision} first.`
      : `${wi} has no effective revision; nobody can be trained on it yet.`,
    zh: t.revision ? `请先完成 ${wi} ${t.revision} 版的培训。` : `${wi} 尚无生效版本,暂无法培训。`,
    link: { route: 'document', id: op.workInstructionId },
  };
}

/**
 * What preparePerform would refuse before the operator types a value: the training (as for
 * verify), then the step's equipment type with no unit of it calibrated and maintained (ISO
 * 13485:2016 7.6 and 6.3): the operator learns it when the step is opened, not after signing.
 */
export async function performBlocker(
  s: Services,
  w: WorkOrderState,
  user: SessionUser,
  target?: Record<string, string | number>,
): Promise<Blocker | null> {
  const trained = await trainingBlocker(s, w, user, target);
  if (trained) return trained;
  const op = w.operations.find((o) => o.seq === target?.seq);
  if (!op?.equipmentType) return null;
  const ofType = await equipment(s).find({ type: op.equipmentType }).toArray();
  if (ofType.some((q) => !calibrationRefusal(q) && !maintenanceRefusal(q))) return null;
  const type = op.equipmentType;
  const stale = ofType.map((q) => q.code).join(', ');
  return {
    code: 'NO_USABLE_EQUIPMENT',
    en: ofType.length
      ? `No ${type} is usable: ${stale} overdue for calibration or maintenance, or out of service.`
      : `No ${type} is registered; operation ${op.seq} needs one.`,
    zh: ofType.length
      ? `没有可用的"${type}":${stale} 校准或维护已逾期,或已停用。`
      : `未登记任何"${type}",工序 ${op.seq} 需要此类设备。`,
    ...(ofType[0] ? { link: { route: 'equipment-item', id: ofType[0]._id } } : {}),
  };
}

async function usableEquipment(s: Services, op: WoOperation, ids: string[]): Promise<UsedEquipment[]> {
  if (op.equipmentType && ids.length === 0) throw E.EQUIPMENT_REQUIRED({ seq: op.seq, type: op.equipmentType });
  const unique = [...new Set(ids)];
  const found = await equipment(s)
    .find({ _id: { $in: unique } })
    .toArray();
  return unique.map((id, i) => {
    const q = found.find((f) => f._id === id);
    if (!q) throw errors.validation(`body.equipmentIds.${i}`, { en: `no equipment "${id}"`, zh: `没有设备"${id}"` });
    if (op.equipmentType && q.type !== op.equipmentType)
      throw E.EQUIPMENT_WRONG_TYPE({ code: q.code, type: q.type, seq: op.seq, needed: op.equipmentType });
    const refusal = calibrationRefusal(q) ?? maintenanceRefusal(q); // ISO 13485:2016 7.6 and 6.3
    if (refusal) throw refusal;
    return { id: q._id, code: q.code, name: q.name, calibrationDue: q.calibrationDue };
  });
}

/** A value as the schema leaves it ({value, text}), or a bare number from a caller inside the server (seed). */
const entered = (v: EnteredValue | number | undefined): EnteredValue | undefined =>
  typeof v === 'number' ? { value: v, text: null } : v;

function measured(op: WoOperation, input: Record<string, EnteredValue | number>): StepValue[] {
  const values = Object.fromEntries(Object.entries(input).map(([k, v]) => [k, entered(v)]));
  const missing = op.captures.filter((c) => !Number.isFinite(values[c.name]?.value)).map((c) => c.name);
  if (missing.length) throw E.VALUE_MISSING({ seq: op.seq, missing }, { missing });
  const unknown = Object.keys(values).filter((k) => !op.captures.some((c) => c.name === k));
  if (unknown.length) {
    throw errors.validation('body.values', {
      en: `operation ${op.seq} does not capture ${unknown.join(', ')}`,
      zh: `工序 ${op.seq} 不记录 ${unknown.join('、')}`,
    });
  }
  return op.captures.map((c) => {
    const { value, text } = values[c.name]!;
    return {
      name: c.name,
      value,
      // the decimals as entered ("4.00"): a number alone would come back as 4
      ...(text !== null && text !== String(value) ? { text } : {}),
      unit: c.unit,
      lower: c.lower,
      upper: c.upper,
      inSpec: (c.lower === null || value >= c.lower) && (c.upper === null || value <= c.upper),
    };
  });
}

/** stepPerformer's checks, all before the password: the step, the operator's training, the equipment, the values. */
export async function preparePerform(c: Ctx): Promise<PerformPlan> {
  const seq = seqOf(c);
  const op = mustBeNext(c.state, seq, 'pending');
  const wiRevision = await mustBeTrained(c.s, c.user, op);
  const used = await usableEquipment(c.s, op, (c.input.equipmentIds as string[] | undefined) ?? []);
  const values = measured(op, (c.input.values as Record<string, EnteredValue | number> | undefined) ?? {});
  // each out-of-spec value opens a deviation; its DEV-… number is allocated once the password has passed
  const deviations = values
    .filter((x) => !x.inSpec)
    .map((v) => ({
      id: crypto.randomUUID(),
      number: '',
      seq,
      capture: v.name,
      value: v.value,
      ...(v.text ? { text: v.text } : {}),
      lower: v.lower,
      upper: v.upper,
    }));
  return {
    seq,
    values,
    equipment: used,
    comment: (c.input.comment as string | undefined) ?? null,
    wiRevision,
    deviations,
  };
}

/** After the credentials: a wrong password must not burn DEV-… numbers (the proposal was judged with them empty). */
export async function allocateDeviationNumbers(c: Ctx, plan: PerformPlan) {
  for (const d of plan.deviations) d.number = await yearlyNumber(c.s, 'DEV');
}

/** stepVerifier's checks: the step awaits verification and the second person is trained on it too. */
export async function prepareVerify(c: Ctx): Promise<{ seq: number }> {
  const seq = seqOf(c);
  await mustBeTrained(c.s, c.user, mustBeNext(c.state, seq, 'performed'));
  return { seq };
}
