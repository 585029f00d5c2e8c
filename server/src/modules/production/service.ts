import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { errors } from '../../platform/errors.ts';
import { streamOf } from '../../records/registry.ts';
import { runCommand } from '../../records/command.ts';
import type { CommandInput } from '../../records/lifecycle.ts';
import { WORKORDERS, type WorkOrderDoc } from './workorder.model.ts';

// Reading work orders, and the one way to change one: an action of workorder.lifecycle.ts through
// the command path (records/command.ts), which judges it, checks the signer and appends.
export const workOrders = (s: Services) => s.db.collection<WorkOrderDoc>(WORKORDERS);
export const woStream = (id: string) => streamOf('workorder', id);

/** What the work order's actions are called (the route names and the client's action bar use them). */
export type WoAction =
  | 'release'
  | 'cancel'
  | 'qa_release'
  | 'perform'
  | 'verify'
  | 'close_deviation'
  | 'issue'
  | 'print_labels'
  | 'reconcile_labels'
  | 'reconcile_materials'
  | 'complete';

export async function getWorkOrder(s: Services, id: string): Promise<WorkOrderDoc> {
  const w = await workOrders(s).findOne({ _id: id });
  if (!w) throw errors.notFound('work order');
  return w;
}

export async function listWorkOrders(s: Services, f: { state?: string; item?: string }) {
  const all = await workOrders(s).find({}).limit(5000).toArray();
  return all
    .filter((w) => (!f.state || w.state === f.state) && (!f.item || w.item.id === f.item))
    .sort((a, b) => b.number.localeCompare(a.number));
}

/** The reason a signature carries, as it always has: a deviation's rationale; none on a release. */
function signingReason(action: WoAction, input: CommandInput): CommandInput {
  if (action === 'close_deviation') return { ...input, reason: input.rationale as string | undefined };
  if (action === 'release') return { ...input, reason: undefined };
  return input;
}

/** workOrderActor: any action on a work order (an unknown order is a 404 first); returns the order as it is now. */
export async function workOrderAction(
  s: Services,
  user: SessionUser,
  id: string,
  action: WoAction,
  input: CommandInput,
) {
  await getWorkOrder(s, id);
  await runCommand(s, user, woStream(id), action, signingReason(action, input));
  return getWorkOrder(s, id);
}
