import type { Services } from '../../platform/services.ts';
import { SYSTEM_ACTOR } from '../../platform/context.ts';
import { streamOf } from '../../records/registry.ts';
import { DOCUMENTS, todayUtc, type DocumentDoc } from './document.record.ts';
import { documentEvents } from './events.ts';
import { assignTrainingOnEffective } from './trainingAssignment.ts';
import { documentIndex } from './documentIndex.ts';
import { isRace } from '../../records/ledgerOps.ts';
import { runOnce } from '../../platform/lease.ts';

/**
 * Makes approved revisions whose effective date has come effective (with the system as actor),
 * and assigns training for effective revisions that have none yet (after a crash, say). Runs on
 * a timer and before documents are read, so nobody ever sees a stale "approved".
 */
export async function makeDueEffective(s: Services, onlyId?: string): Promise<number> {
  const today = todayUtc();
  const index = await documentIndex(s);
  // the approved-and-waiting few, derived once per change of the register rather than per read
  const waiting = index.memo('pendingEffective', (rows) => rows.filter((d) => d.pendingEffectiveDate));
  const due = waiting.filter((d) => (!onlyId || d.id === onlyId) && d.pendingEffectiveDate! <= today);
  let changed = 0;
  for (const { id } of due) {
    const d = await s.db.collection<DocumentDoc>(DOCUMENTS).findOne({ _id: id });
    const rev = d?.revisions.find((r) => r.state === 'approved');
    if (!d || !rev) continue;
    try {
      const effective = documentEvents.change('document.becameEffective', {
        revision: rev.revision,
        effectiveDate: rev.effectiveDate!,
        supersedes: d.effective,
      });
      await s.ledger.append(streamOf('document', id), effective.type, effective.data, {
        expectedVersion: d.ledgerVersion,
        actor: SYSTEM_ACTOR,
      });
      changed++;
    } catch (err) {
      if (!isRace(err)) throw err; // another sweep won
    }
  }
  await assignPendingTraining(s, onlyId);
  return changed;
}

/** Assigns training for effective revisions that have none yet (after a signature, a sweep, or a crash halfway). */
async function assignPendingTraining(s: Services, onlyId?: string) {
  const untrained = (await documentIndex(s)).memo('trainingPending', (rows) =>
    rows.filter((d) => d.effective && d.effective !== d.trainingAssignedFor),
  );
  const pending = untrained.filter((d) => !onlyId || d.id === onlyId);
  for (const { id } of pending) {
    const d = await s.db.collection<DocumentDoc>(DOCUMENTS).findOne({ _id: id });
    if (d) await assignTrainingOnEffective(s, d);
  }
}

const timers = new WeakMap<Services, NodeJS.Timeout>();

/** The lease the timed sweep runs under, so that of several servers only one sweeps (platform/lease.ts). */
export const EFFECTIVE_SWEEP_LEASE = 'documents.effectiveSweep';

/**
 * One unref'd timer per server; the sweep itself runs on the one server holding the lease (held
 * for three periods and renewed on each, so a dead holder's work moves to another server within
 * three periods). Reads still sweep on any server (makeDueEffective is safe to race: the loser's
 * append is a conflict and is skipped).
 */
export function startEffectiveScheduler(s: Services, everyMs = 60_000) {
  if (timers.has(s)) return;
  const tick = async () => {
    await runOnce(s, EFFECTIVE_SWEEP_LEASE, everyMs * 3, () => makeDueEffective(s));
  };
  const t = setInterval(() => {
    tick().catch((err) => s.logger.warn({ err }, 'effective-date sweep failed'));
  }, everyMs);
  t.unref();
  timers.set(s, t);
  // the timer must not outlive the database connection (tests start and stop many servers)
  s.db.client?.once('topologyClosed', () => {
    clearInterval(t);
    timers.delete(s);
  });
}
