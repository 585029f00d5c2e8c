import type { Filter } from 'mongodb';
import type { Services } from '../../platform/services.ts';
import { SYSTEM_ACTOR } from '../../platform/context.ts';
import { streamOf } from '../../records/registry.ts';
import { DOCUMENTS, todayUtc, type DocumentDoc } from './document.record.ts';
import { assignTraining } from '../training/trainingService.ts';

/**
 * Makes approved revisions whose effective date has come effective (with the system as actor),
 * and assigns training for effective revisions that have none yet (after a crash, say). Runs on
 * a timer and before documents are read, so nobody ever sees a stale "approved".
 */
export async function makeDueEffective(s: Services, scope: Filter<DocumentDoc> = {}): Promise<number> {
  const col = s.db.collection<DocumentDoc>(DOCUMENTS);
  let changed = 0;
  for (const d of await col.find({ ...scope, pendingEffectiveDate: { $lte: todayUtc() } }).toArray()) {
    const rev = d.revisions.find((r) => r.state === 'approved');
    if (!rev) continue;
    try {
      await s.ledger.append(streamOf('document', d._id), 'document.becameEffective',
        { revision: rev.revision, effectiveDate: rev.effectiveDate!, supersedes: d.effective }, { expectedVersion: d.ledgerVersion, actor: SYSTEM_ACTOR });
      changed++;
    } catch (err) {
      if (!['CONFLICT', 'STALE_VERSION'].includes((err as { code?: string }).code ?? '')) throw err; // another sweep won
    }
  }
  await assignPendingTraining(s, scope);
  return changed;
}

export async function assignPendingTraining(s: Services, scope: Filter<DocumentDoc> = {}) {
  const col = s.db.collection<DocumentDoc>(DOCUMENTS);
  const pending = await col.find({ ...scope, state: 'effective' }, { projection: { effective: 1, trainingAssignedFor: 1 } }).toArray();
  for (const p of pending.filter((x) => x.effective !== x.trainingAssignedFor)) {
    const d = await col.findOne({ _id: p._id });
    if (d) await assignTraining(s, d);
  }
}

const timers = new WeakMap<Services, NodeJS.Timeout>();

/** One unref'd timer per server; failures are logged and retried on the next tick. */
export function startEffectiveScheduler(s: Services, everyMs = 60_000) {
  if (timers.has(s)) return;
  const t = setInterval(() => { makeDueEffective(s).catch((err) => s.logger.warn({ err }, 'effective-date sweep failed')); }, everyMs);
  t.unref();
  timers.set(s, t);
  // the timer must not outlive the database connection (tests start and stop many servers)
  s.db.client?.once('topologyClosed', () => { clearInterval(t); timers.delete(s); });
}
