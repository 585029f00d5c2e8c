import type { Lifecycle } from '../../records/lifecycle.ts';
import { refusal } from '../../records/refusal.ts';
import { hasPermission } from '../../identity/roles.ts';
import { todayUtc } from '../../platform/dates.ts';
import type { DelegationState } from './delegation.record.ts';
import { DelegationErrors } from './errors.ts';
import { delegationEvents } from './events.ts';

/** active (today within or before [from, to]), revoked (event), expired (to before today: read from the clock). */
export function delegationStatus(d: DelegationState, today = todayUtc()): 'active' | 'revoked' | 'expired' {
  if (d.revoked) return 'revoked';
  return d.to < today ? 'expired' : 'active';
}

/** Whether the delegation covers `today` (what signing on someone's behalf needs). */
export const coversToday = (d: DelegationState, today = todayUtc()) =>
  delegationStatus(d, today) === 'active' && d.from <= today && today <= d.to;

// A delegation's lifecycle: created active (delegationService.createDelegation, judged before the
// one append), then revoked by its principal or an administrator, or expired when its period ends.
export const delegationLifecycle: Lifecycle<DelegationState> = {
  record: 'delegation',
  initial: 'active',
  states: ['active', 'revoked', 'expired'],
  final: ['revoked', 'expired'],
  transitions: [
    {
      name: 'revoke',
      from: ['active'],
      to: 'revoked',
      who: (u, d) => u.id === d.principal.id || hasPermission(u, 'users.manage'),
      whoRefusal: refusal(DelegationErrors.NOT_YOUR_DELEGATION()),
      event: (_d, _plan, c) =>
        delegationEvents.change('delegation.revoked', { by: { id: c.user.id, name: c.user.fullName } }),
    },
  ],
  stateOf: (d) => delegationStatus(d),
  wrongState: () => refusal(DelegationErrors.DELEGATION_NOT_ACTIVE()),
};
