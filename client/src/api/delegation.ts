import { request } from './request';
import type { LifecycleAction, PersonRef } from './types';

// Delegations (issue 15 item 6): a user hands their tasks to a holder of the same role for a period.
export interface Delegation {
  id: string;
  principal: PersonRef;
  delegate: PersonRef;
  from: string;
  to: string;
  roles: string[];
  reason: string;
  status: 'active' | 'revoked' | 'expired';
  createdAt: string;
  revoked: { by: PersonRef; at: string } | null;
  version: number;
  actions: LifecycleAction[];
}
export interface NewDelegation {
  delegateId: string;
  from: string;
  to: string;
  roles: string[];
  reason: string;
}

export const delegationApi = {
  list: () => request<Delegation[]>('/delegations'),
  create: (body: NewDelegation) => request<Delegation>('/delegations', { method: 'POST', body }),
  revoke: (id: string, version: number) =>
    request<Delegation>(`/delegations/${id}/revoke`, { method: 'POST', body: { version } }),
};
