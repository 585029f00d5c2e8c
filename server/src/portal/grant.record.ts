import type { z } from 'zod';
import type { LedgerEvent } from '../ledger/event.ts';
import { defineRecordType } from '../records/registry.ts';
import type { Projected } from '../records/projector.ts';
import { hasPermission } from '../identity/roles.ts';
import { grantEvents, type GrantScopeItemData } from './events.ts';

// An auditor's access (21 CFR 11.10(d), (e)): one stream `auditgrant:<id>` per grant. An
// administrator issues it for a date range and a scope of finished devices, may revoke it, and
// every page the auditor opens through the portal is an event on the same stream, so the grant
// and its use read as one audit trail. Its events: events.ts.

export type GrantScopeItem = z.output<typeof GrantScopeItemData>;
export interface GrantState {
  id: string;
  auditor: { id: string; name: string; username: string };
  from: string;
  to: string; // inclusive calendar dates (UTC)
  scope: { items: GrantScopeItem[] };
  purpose: string;
  grantedBy: { id: string; name: string };
  grantedAt: string;
  revoked: { by: string; at: string; reason: string } | null;
  accesses: number;
  lastAccessAt: string | null;
}
export type GrantDoc = Projected<GrantState>;

export const AUDIT_GRANTS = 'auditgrants';

function reduce(s: GrantState | undefined, raw: LedgerEvent): GrantState {
  const e = grantEvents.typed(raw);
  if (e.type === 'grant.issued') {
    const d = e.data;
    return {
      id: e.stream.slice('auditgrant:'.length),
      auditor: d.auditor,
      from: d.from,
      to: d.to,
      scope: d.scope,
      purpose: d.purpose,
      grantedBy: { id: e.actor.id, name: e.actor.name },
      grantedAt: e.at,
      revoked: null,
      accesses: 0,
      lastAccessAt: null,
    };
  }
  if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before grant.issued`);
  switch (e.type) {
    case 'grant.revoked':
      return s.revoked ? s : { ...s, revoked: { by: e.actor.name, at: e.at, reason: e.data.reason } };
    case 'grant.accessed':
      return { ...s, accesses: s.accesses + 1, lastAccessAt: e.at };
    default:
      return s;
  }
}

export const grantRecord = defineRecordType<GrantState>({
  type: 'auditgrant',
  collection: AUDIT_GRANTS,
  events: grantEvents,
  reduce,
  content: (s) => ({
    auditor: s.auditor.id,
    from: s.from,
    to: s.to,
    scope: s.scope.items.map((i) => i.id),
    purpose: s.purpose,
    revoked: s.revoked,
  }),
  // the grant and its access log: for administrators, and for the auditor it names
  canRead: (user, s) => hasPermission(user, 'portal.grant') || user.id === s.auditor.id,
});
