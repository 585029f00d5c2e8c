import { mustExist, qualityEventsOfProduct } from '../qualityLoop/loop.ts';
import { randomUUID } from 'node:crypto';
import type { Filter } from 'mongodb';
import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { errors } from '../../platform/errors.ts';
import { todayUtc } from '../../platform/dates.ts';
import { asUser, runCommand } from '../../records/command.ts';
import { yearlyNumber } from '../../records/ledgerOps.ts';
import { streamOf } from '../../records/registry.ts';
import { getUser } from '../../identity/userService.ts';
import { CapaErrors as E } from './errors.ts';
import { capaEvents } from './events.ts';
import { CAPAS, type CapaDoc } from './capa.record.ts';
import { mayOwnCapa, notPast, type CapaAction } from './schema.ts';

export const capas = (s: Services) => s.db.collection<CapaDoc>(CAPAS);
/** States in which a CAPA is not yet closed: its due date still runs. */
export const RUNNING = ['evaluation', 'in_progress'];
export const isOverdue = (c: { state: string; due: string }) => RUNNING.includes(c.state) && c.due < todayUtc();

export interface NewCapa {
  title: string;
  source: { type: 'nc' | 'complaint' | 'audit_finding' | 'trend' | 'management_review'; id: string };
  problem: string;
  owner: string;
  due: string;
}

/**
 * Opens a CAPA from its source (an NC, a complaint, an audit finding, a trend, a management
 * review: the link is kept as the source's id). Not a lifecycle action (there is no record yet):
 * it runs as the user, so its number and first event carry them. The risk-based decision to
 * proceed is the first signed step (capa.lifecycle.ts `decide`).
 */
export async function openCapa(s: Services, user: SessionUser, n: NewCapa, opts: { historical?: boolean } = {}) {
  const { _id } = await recordCapa(s, user, n, opts);
  return getCapa(s, _id);
}

/**
 * The same without reading the CAPA back: for another record's command that opens one (an audit
 * finding), whose writes are held until the command ends, so the new CAPA cannot be read yet.
 */
export function recordCapa(s: Services, user: SessionUser, n: NewCapa, opts: { historical?: boolean } = {}) {
  return asUser(user, async () => {
    // a CAPA entered as history (the demo company, a migration from an earlier system) may already
    // be late; the event says so, so the audit trail never passes it off as planned that way
    if (!opts.historical) notPast(n.due, 'body.due');
    // an NC or complaint source is a record that exists (404 otherwise); audit findings, trends and
    // management reviews are named by their own reference
    if (n.source.type === 'nc' || n.source.type === 'complaint') await mustExist(s, n.source.type, n.source.id);
    const owner = await getUser(s, n.owner).catch(() => null);
    if (!owner || owner.status === 'disabled') throw E.CAPA_OWNER_INACTIVE();
    mayOwnCapa(owner, 'body.owner');
    const number = await yearlyNumber(s, 'CAPA');
    const id = randomUUID();
    const opened = capaEvents.change('capa.opened', {
      number,
      title: n.title,
      source: n.source,
      problem: n.problem,
      owner: { id: owner._id, name: owner.fullName },
      due: n.due,
      ...(opts.historical ? { historical: true as const } : {}),
    });
    await s.ledger.append(streamOf('capa', id), opened.type, opened.data, { expectedVersion: 0 });
    return { _id: id, number };
  });
}

export async function getCapa(s: Services, id: string): Promise<CapaDoc> {
  const c = await capas(s).findOne({ _id: id });
  if (!c) throw errors.notFound('CAPA');
  return c;
}

/** One action on a CAPA, through the one command path (capa.lifecycle.ts). */
export async function actOnCapa(s: Services, user: SessionUser, id: string, action: CapaAction, input: object) {
  await getCapa(s, id); // an unknown CAPA is a 404 before anything else
  await runCommand(s, user, streamOf('capa', id), action, input as Record<string, unknown>);
  return getCapa(s, id);
}

export interface CapaFilter {
  state?: string;
  owner?: string;
  source?: string;
  overdue?: 'true' | 'false';
  product?: string;
}
/** The CAPA register, newest first; `overdue=true`: due date passed and not yet closed (visible to QA). */
export async function listCapas(s: Services, f: CapaFilter): Promise<CapaDoc[]> {
  const q: Filter<CapaDoc> = {};
  if (f.state) q.state = f.state as CapaDoc['state'];
  if (f.owner) q['owner.id'] = f.owner;
  if (f.source) q['source.type'] = f.source;
  if (f.product) {
    // through its source: CAPAs opened from, or linked by, the product's NCs and complaints
    const { sourceIds, linkedCapaIds } = await qualityEventsOfProduct(s, f.product);
    q.$or = [{ 'source.id': { $in: sourceIds } }, { _id: { $in: linkedCapaIds } }];
  }
  if (f.overdue === 'true') {
    if (f.state && !RUNNING.includes(f.state)) return [];
    q.due = { $lt: todayUtc() };
    if (!f.state) q.state = { $in: RUNNING as CapaDoc['state'][] };
  }
  const list = await capas(s).find(q).sort({ createdAt: -1 }).limit(1000).toArray();
  return f.overdue === 'false' ? list.filter((c) => !isOverdue(c)) : list;
}

/** The open actions `userId` owns on CAPAs in progress (their inbox). */
export async function openTasksOf(s: Services, userId: string) {
  const list = await capas(s).find({ openTaskOwners: userId, state: 'in_progress' }).toArray();
  return list.flatMap((c) =>
    c.tasks.filter((t) => t.status === 'open' && t.owner.id === userId).map((t) => ({ capa: c, task: t })),
  );
}
