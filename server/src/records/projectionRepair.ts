import type { Logger } from '../platform/logger.ts';
import { SYSTEM_ACTOR } from '../platform/context.ts';
import type { Finding } from '../ledger/verify.ts';
import type { RecordType } from './registry.ts';
import { checkProjections, type Comparison, type Deps } from './projectionCheck.ts';

export interface StartupProjections {
  streams: number;
  caughtUp: number;
  drifted: number;
  unstorable: number;
  ms: number;
}

/**
 * Start-up: projections behind their stream are brought level (a crash between append and
 * projection loses nothing); a projection that differs from its stream otherwise is reported as
 * a warning with a count and left for `provenant projections rebuild` (its difference is evidence
 * of an edit behind the ledger's back); a record whose state cannot be stored is logged as an
 * error and refused writes. None of them stops the server from starting.
 */
export async function checkProjectionsAtStart(s: Deps, logger: Logger): Promise<StartupProjections> {
  const report = await checkProjections(s);
  let caughtUp = 0;
  const drifted: Finding[] = [];
  const unstorable: Finding[] = [];
  for (const c of report.comparisons) {
    if (c.state && c.head) s.projector.replays.put(c.stream, c.head.version, c.head.hash, c.state); // later appends fold onto it
    if (!c.finding) continue;
    if (c.finding.kind === 'projection-unstorable') {
      s.projector.markUnstorable(c.stream, c.head?.version ?? 0, new Error(c.finding.detail));
      unstorable.push(c.finding);
    } else if (c.behind) {
      try {
        await s.projector.projectHead(c.stream);
        caughtUp++;
      } catch {
        unstorable.push(c.finding);
      } // projectHead marked and logged it
    } else drifted.push(c.finding);
  }
  if (caughtUp) logger.warn({ caughtUp }, 'projections caught up from the ledger');
  if (drifted.length) {
    logger.warn(
      { drifted: drifted.length, first: drifted.slice(0, 5) },
      `${drifted.length} projection(s) differ from a replay of their stream (edited behind the ledger's back?); see "provenant ledger verify", repair with "provenant projections rebuild"`,
    );
  }
  s.projector.atStart = {
    streams: report.streams,
    caughtUp,
    drifted: drifted.length,
    unstorable: unstorable.length,
    ms: report.ms,
  };
  return s.projector.atStart;
}

export interface RebuildReport {
  streams: number;
  rebuilt: Finding[];
  removed: Finding[];
  failed: Finding[];
  ms: number;
}

/**
 * `provenant projections rebuild`: rewrites every projection that differs from its stream with the
 * replay of that stream, and removes projections that have no stream. Only derived data changes;
 * the ledger is never touched, except for one event that records what was repaired (the repair
 * erases the evidence of the edit from the projection, so it is kept on the ledger).
 */
export async function rebuildProjections(s: Deps, types?: RecordType<any>[]): Promise<RebuildReport> {
  const report = await checkProjections(s, { types, live: true });
  const rebuilt: Finding[] = [];
  const removed: Finding[] = [];
  const failed: Finding[] = [];
  for (const c of report.comparisons) {
    if (!c.finding) continue;
    if (c.finding.kind === 'projection-unstorable' || !(await rewrite(s, c))) failed.push(c.finding);
    else (c.orphan ? removed : rebuilt).push(c.finding);
  }
  if (rebuilt.length || removed.length) {
    const list = (fs: Finding[]) =>
      fs.slice(0, 500).map((f) => ({ stream: f.stream, version: f.version, detail: f.detail }));
    await s.ledger.appendWithRetry(
      'maintenance:projections',
      'projections.rebuilt',
      {
        types: (types ?? []).map((t) => t.type),
        rebuilt: list(rebuilt),
        removed: list(removed),
        counts: { rebuilt: rebuilt.length, removed: removed.length },
      },
      { actor: SYSTEM_ACTOR },
    );
  }
  return { streams: report.streams, rebuilt, removed, failed, ms: report.ms };
}

/** Replaces (or removes) one projection, guarded on the version it was read at so a concurrent append wins. */
async function rewrite(s: Deps, c: Comparison): Promise<boolean> {
  const col = s.db.collection<Record<string, unknown>>(c.type.collection);
  const guard = { _id: c.doc?._id, ledgerVersion: c.doc?.ledgerVersion ?? null } as Record<string, unknown>;
  try {
    if (c.orphan) return (await col.deleteOne(guard)).deletedCount === 1;
    if (!c.expected) return false;
    if (!c.doc) {
      await col.insertOne({ ...c.expected });
      return true;
    }
    return (await col.replaceOne(guard, { ...c.expected })).matchedCount === 1;
  } catch {
    return false;
  }
}
