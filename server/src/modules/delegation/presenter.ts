import type { SessionUser } from '../../identity/sessionUser.ts';
import { availableActions } from '../../records/lifecycle.ts';
import type { DelegationDoc } from './delegation.record.ts';
import { delegationLifecycle, delegationStatus } from './delegation.lifecycle.ts';

// The only shape of a delegation that leaves the server.
export function presentDelegation(d: DelegationDoc, user: SessionUser) {
  return {
    id: d._id,
    principal: d.principal,
    delegate: d.delegate,
    from: d.from,
    to: d.to,
    roles: d.roles,
    reason: d.reason,
    status: delegationStatus(d),
    createdAt: d.createdAt,
    revoked: d.revoked,
    version: d.ledgerVersion,
    actions: availableActions(delegationLifecycle, d, user),
  };
}
