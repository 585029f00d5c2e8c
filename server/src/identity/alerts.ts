import { randomUUID } from 'node:crypto';
import type { Services } from '../platform/services.ts';
import { SYSTEM_ACTOR } from '../platform/context.ts';
import { defineRecordType, streamOf } from '../records/registry.ts';

// Alerts for people who must act (an account locked after failed sign-ins, a certificate about
// to expire…). Raising and acknowledging are ledger events on `alert:<id>`.
export interface AlertState { id: string; kind: string; audience: string[]; payload: Record<string, unknown>; raisedAt: string; acknowledgedBy: string | null; acknowledgedAt: string | null }

export const alertRecord = defineRecordType<AlertState>({
  type: 'alert',
  collection: 'alerts',
  reduce(s, e) {
    const d = e.data as Record<string, any>;
    if (e.type === 'alert.raised') return { id: e.stream.slice(6), kind: d.kind, audience: d.audience, payload: d, raisedAt: e.at, acknowledgedBy: null, acknowledgedAt: null };
    if (!s) throw new Error('alert event before alert.raised');
    if (e.type === 'alert.acknowledged') return { ...s, acknowledgedBy: e.actor.name, acknowledgedAt: e.at };
    return s;
  },
  content: (s) => ({ kind: s.kind, payload: s.payload }),
});

export async function raiseAlert(s: Services, data: { kind: string; audience: string[] } & Record<string, unknown>) {
  await s.ledger.append(streamOf('alert', randomUUID()), 'alert.raised', data, { actor: SYSTEM_ACTOR });
}

export function alertsFor(s: Services, roles: string[]) {
  return s.db.collection<AlertState>(alertRecord.collection).find({ audience: { $in: roles } }, { projection: { _id: 0 } }).sort({ raisedAt: -1 }).limit(200).toArray();
}
