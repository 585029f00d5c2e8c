import type { LedgerEvent } from '../../ledger/event.ts';
import { defineRecordType } from '../../records/registry.ts';
import { declareIndexes } from '../../platform/db/mongo.ts';
import { hasPermission } from '../../identity/roles.ts';
import type { Projected } from '../../records/projector.ts';
import { delegationEvents } from './events.ts';
import { delegationLifecycle } from './delegation.lifecycle.ts';

// A delegation: principal A hands their tasks to delegate B for [from, to] (issue 15 item 6).
// `revoked` is an event; `expired` is read from the clock (to < today), no event is needed.
export interface DelegationState {
  id: string;
  principal: { id: string; name: string };
  delegate: { id: string; name: string };
  from: string;
  to: string;
  roles: string[];
  reason: string;
  createdAt: string;
  revoked: { by: { id: string; name: string }; at: string } | null;
}
export type DelegationDoc = Projected<DelegationState>;

export const DELEGATIONS = 'delegations';
declareIndexes(DELEGATIONS, [
  { key: { 'principal.id': 1, to: 1 }, name: 'principal_to' },
  { key: { 'delegate.id': 1, to: 1 }, name: 'delegate_to' },
]);

function reduce(s: DelegationState | undefined, event: LedgerEvent): DelegationState {
  const e = delegationEvents.typed(event);
  if (e.type === 'delegation.created')
    return { id: e.stream.slice('delegation:'.length), ...e.data, createdAt: e.at, revoked: null };
  if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before delegation.created`);
  if (e.type === 'delegation.revoked') return { ...s, revoked: { by: e.data.by, at: e.at } };
  return s;
}

export const delegationRecord = defineRecordType<DelegationState>({
  type: 'delegation',
  collection: DELEGATIONS,
  reduce,
  content: (s) => ({ principal: s.principal.id, delegate: s.delegate.id, from: s.from, to: s.to }),
  events: delegationEvents,
  lifecycle: delegationLifecycle,
  canRead: (user, s) => user.id === s.principal.id || user.id === s.delegate.id || hasPermission(user, 'users.manage'),
});
