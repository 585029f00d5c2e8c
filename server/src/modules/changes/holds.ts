import type { RevisionHold, WorkOrderHold } from '../../records/contributions.ts';
import { openChangeHolding, openChanges } from './implementation.ts';

/** The documents' and DMRs' question "is this revision held by an open change?" (registered in modules/contributions.ts). */
export const changeRevisionHold: RevisionHold = openChangeHolding;

/**
 * The work orders' question "is this order held by a change?" (registered in modules/contributions.ts):
 * an open change (neither implemented nor cancelled) whose decision for the order is "hold" (7.3.9).
 */
export const changeWorkOrderHold: WorkOrderHold = async (s, workOrderId) => {
  // by dot path, then in code: the embedded engine does not take $elemMatch
  const open = await openChanges(s, { 'workOrderDecisions.workOrderId': workOrderId });
  const c = open.find((x) => x.workOrderDecisions.some((d) => d.workOrderId === workOrderId && d.decision === 'hold'));
  return c ? { id: c._id, number: c.number } : null;
};
