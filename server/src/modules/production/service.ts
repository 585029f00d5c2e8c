import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { actorOf } from '../../identity/authService.ts';
import { hasPermission } from '../../identity/roles.ts';
import { AppError, domainError, errors } from '../../platform/errors.ts';
import { streamOf } from '../../records/registry.ts';
import { mutate, type Change } from '../../records/ledgerOps.ts';
import { signedDecision, type Cred } from '../items/ledgerOps.ts';
import { WORKORDERS, SIGNED_ACTIONS, type SignedAction, type WoStateName, type WorkOrderDoc, type WorkOrderState } from './workorder.model.ts';
import { actionPermission } from './workorder.policy.ts';

// Reading work orders, and the two write paths every command goes through: a checked append
// on the order's stream, and a signed action (proposal → e-signature → effect).
export const workOrders = (s: Services) => s.db.collection<WorkOrderDoc>(WORKORDERS);
export const woStream = (id: string) => streamOf('workorder', id);

export async function getWorkOrder(s: Services, id: string): Promise<WorkOrderDoc> {
  const w = await workOrders(s).findOne({ _id: id });
  if (!w) throw errors.notFound('work order');
  return w;
}

export async function listWorkOrders(s: Services, f: { state?: string; item?: string }) {
  const all = await workOrders(s).find({}).limit(5000).toArray();
  return all.filter((w) => (!f.state || w.state === f.state) && (!f.item || w.item.id === f.item)).sort((a, b) => b.number.localeCompare(a.number));
}

export function wrongState(w: WorkOrderState, action: string) {
  return domainError('WORK_ORDER_WRONG_STATE', `Work order ${w.number} is ${w.state.replace('_', ' ')}; it cannot ${action.replace('_', ' ')} now.`,
    `工单 ${w.number} 处于"${w.state}"状态,现在不能执行该操作。`, 409, { state: w.state, action });
}
export function requireState(w: WorkOrderState, action: string, states: readonly WoStateName[]) {
  if (!states.includes(w.state)) throw wrongState(w, action);
}
export function requirePermission(user: SessionUser, action: string) {
  if (!hasPermission(user, actionPermission[action])) throw new AppError('FORBIDDEN', { action: action.replace('_', ' ') });
}

/** A checked append: `decide` judges the order as the ledger has it and returns the event (or throws). */
export async function onWorkOrder(s: Services, user: SessionUser, id: string, decide: (w: WorkOrderState) => Change | Promise<Change>) {
  await getWorkOrder(s, id);
  await mutate<WorkOrderState>(s, woStream(id), actorOf(user), (w) => decide(w!));
  return getWorkOrder(s, id);
}

/**
 * A signed action: `check` runs on the order before the password is asked for and again on the
 * state the proposal lands on; the proposal holds what the signer vouches for (values,
 * disposition…); the e-signature binds it and the record type appends the effect.
 */
export async function signWorkOrder(s: Services, user: SessionUser, id: string, action: SignedAction, cred: Cred,
  proposal: { seq?: number; deviationId?: string; data?: Record<string, unknown>; reason?: string }, check: (w: WorkOrderState) => void,
  afterCredentials?: () => Promise<void>) {
  await getWorkOrder(s, id);
  requirePermission(user, action);
  await signedDecision(s, user, woStream(id), SIGNED_ACTIONS[action], cred, () => ({
    type: 'workorder.signingProposed', data: { action, ...(proposal.seq !== undefined ? { seq: proposal.seq } : {}), ...(proposal.deviationId ? { deviationId: proposal.deviationId } : {}), data: proposal.data ?? {} },
    ...(proposal.reason ? { reason: proposal.reason } : {}),
  }), check, afterCredentials);
  return getWorkOrder(s, id);
}
