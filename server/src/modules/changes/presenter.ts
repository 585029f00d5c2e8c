import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { availableActions } from '../../records/lifecycle.ts';
import { approvalsNeeded, type ChangeDoc } from './change.record.ts';
import { changeLifecycle } from './change.lifecycle.ts';
import { changeView } from './service.ts';
import { itemStatus } from './implementation.ts';

// The only shapes of a change request that leave the server.
export function presentChangeRow(c: ChangeDoc) {
  return {
    id: c._id,
    number: c.number,
    title: c.title,
    state: c.state,
    requester: c.requester,
    classification: c.classification,
    items: c.items.length,
    effectiveDate: c.effectiveDate,
    createdAt: c.createdAt,
  };
}

/** One change with the live state of what it names, its work orders in progress and what this user may do now. */
export async function presentChange(s: Services, c: ChangeDoc, user: SessionUser) {
  const { view, workOrders } = await changeView(s, c);
  return {
    ...presentChangeRow(c),
    reason: c.reason,
    items: await itemStatus(s, c),
    refs: c.refs,
    capaId: c.capaId,
    impact: c.impact,
    iteration: c.iteration,
    approvalsNeeded: approvalsNeeded(c),
    decisions: c.decisions,
    workOrders,
    workOrderDecisions: c.workOrderDecisions,
    implementedBy: c.implementedBy,
    cancelReason: c.cancelReason,
    effectiveness: c.effectiveness ?? null,
    version: c.ledgerVersion,
    actions: availableActions(changeLifecycle, view, user),
  };
}
