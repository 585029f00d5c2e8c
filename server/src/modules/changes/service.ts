import { randomUUID } from 'node:crypto';
import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { errors } from '../../platform/errors.ts';
import { asUser, runCommand } from '../../records/command.ts';
import { yearlyNumber } from '../../records/ledgerOps.ts';
import { streamOf } from '../../records/registry.ts';
import { CHANGES } from './collections.ts';
import type { ChangeDoc } from './change.record.ts';
import { changeEvents } from './events.ts';
import { affectedWorkOrders, planDraft } from './implementation.ts';
import type { ChangeView } from './change.lifecycle.ts';
import type { DraftInput, NewChange } from './schema.ts';

export const changes = (s: Services) => s.db.collection<ChangeDoc>(CHANGES);

/**
 * Opens a change request. Not a lifecycle action (there is no record yet): it runs as the user,
 * every record it names is checked (404 / 409) before its number is taken and anything written.
 */
export function openChange(s: Services, user: SessionUser, n: NewChange) {
  return asUser(user, async () => {
    const plan = await planDraft(s, null, n as unknown as DraftInput);
    const number = await yearlyNumber(s, 'ECO');
    const id = randomUUID();
    const opened = changeEvents.change('change.opened', {
      number,
      title: n.title,
      reason: n.reason,
      requester: { id: user.id, name: user.fullName },
      ...plan,
    });
    await s.ledger.append(streamOf('change', id), opened.type, opened.data, { expectedVersion: 0 });
    return getChange(s, id);
  });
}

export async function getChange(s: Services, id: string): Promise<ChangeDoc> {
  const c = await changes(s).findOne({ _id: id });
  if (!c) throw errors.notFound('change request');
  return c;
}

export async function listChanges(s: Services, filter: { state?: string }) {
  const q: Record<string, unknown> = {};
  if (filter.state) q.state = filter.state;
  return changes(s).find(q).sort({ number: -1 }).limit(1000).toArray();
}

/** One action on a change request, through the one command path (change.lifecycle.ts). */
export async function actOnChange(s: Services, user: SessionUser, id: string, action: string, input: object) {
  await getChange(s, id); // an unknown change is a 404 before anything else
  await runCommand(s, user, streamOf('change', id), action, input as Record<string, unknown>);
  return getChange(s, id);
}

/** The change as its actions are judged: with the work orders on old DMR revisions still without a decision. */
export async function changeView(s: Services, c: ChangeDoc): Promise<{ view: ChangeView; workOrders: WoRow[] }> {
  const open = c.state === 'implemented' || c.state === 'cancelled' ? [] : await affectedWorkOrders(s, c);
  const workOrders = open.map((w) => ({
    id: w._id,
    number: w.number,
    state: w.state,
    dmrId: w.dmr.id,
    revision: w.dmr.revision,
    decision: c.workOrderDecisions.find((d) => d.workOrderId === w._id) ?? null,
  }));
  return {
    view: { ...c, undecidedWorkOrders: workOrders.filter((w) => !w.decision).map((w) => w.id) },
    workOrders,
  };
}
export interface WoRow {
  id: string;
  number: string;
  state: string;
  dmrId: string;
  revision: string;
  decision: ChangeDoc['workOrderDecisions'][number] | null;
}
