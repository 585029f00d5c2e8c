import { randomUUID } from 'node:crypto';
import type { Services } from '../platform/services.ts';
import { SYSTEM_ACTOR } from '../platform/context.ts';
import { defineRecordType, streamOf } from '../records/registry.ts';
import { alertEvents, type AlertData } from './events.ts';

// Alerts for people who must act (an account locked after failed sign-ins, a certificate about
// to expire…). Raising and acknowledging are ledger events on `alert:<id>` (events.ts).
export interface AlertState {
  id: string;
  kind: string;
  audience: string[];
  payload: Record<string, unknown>;
  raisedAt: string;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
}

export const alertRecord = defineRecordType<AlertState>({
  type: 'alert',
  collection: 'alerts',
  events: alertEvents,
  reduce(s, raw) {
    const e = alertEvents.typed(raw);
    if (e.type === 'alert.raised') {
      const d = e.data;
      return {
        id: e.stream.slice(6),
        kind: d.kind,
        audience: d.audience,
        payload: d,
        raisedAt: e.at,
        acknowledgedBy: null,
        acknowledgedAt: null,
      };
    }
    if (!s) throw new Error('alert event before alert.raised');
    if (e.type === 'alert.acknowledged') return { ...s, acknowledgedBy: e.actor.name, acknowledgedAt: e.at };
    return s;
  },
  content: (s) => ({ kind: s.kind, payload: s.payload }),
});

export async function raiseAlert(s: Services, data: AlertData) {
  const raised = alertEvents.change('alert.raised', data);
  await s.ledger.append(streamOf('alert', randomUUID()), raised.type, raised.data, { actor: SYSTEM_ACTOR });
}

export function alertsFor(s: Services, roles: string[]) {
  return s.db
    .collection<AlertState>(alertRecord.collection)
    .find({ audience: { $in: roles } }, { projection: { _id: 0 } })
    .sort({ raisedAt: -1 })
    .limit(200)
    .toArray();
}
