import type { Logger } from '../platform/logger.ts';
import { SYSTEM_ACTOR } from '../platform/context.ts';
import type { Finding } from '../ledger/verify.ts';
import { allRecordTypes, recordTypeOf, streamId, streamOf, type RecordType } from './registry.ts';
import { checkProjections, type Comparison, type Deps } from './projectionCheck.ts';

export interface StartupProjections {
  streams: number;
  caughtUp: number;
  drifted: number;
  unstorable: number;
  ms: number;
}

/**
 * Above this many events the start-up check compares versions only: the replay comparison holds
 * every record event in memory at once (about 1 GB per million), and `ledger verify` makes it
 * stream by stream anyway.
 */
export const REPLAY_CHECK_MAX_EVENTS = 200_000;

/**
 * Start-up: projections behind their stream are brought level (a crash between append and
 * projection loses nothing); a projection that differs from its stream otherwise is reported as
 * a warning with a count and left for `provenant projections rebuild` (its difference is evidence
 * of an edit behind the ledger's back); a record whose state cannot be stored is logged as an
 * error and refused writes. None of them stops the server from starting.
 *
 * Boot runs this before answering only after a server died without a clean stop; otherwise it
 * runs while the server answers (`live`: a difference may be an append in flight, so it is
 * compared again from fresh reads). It needs every stream's head (ledger.loadHeads). On a ledger
 * larger than REPLAY_CHECK_MAX_EVENTS it compares each projection's version with its stream's
 * head: what is behind is caught up (that is what a crash leaves), an edited projection at the
 * right version is left to `ledger verify`.
 */
export async function checkProjectionsAtStart(
  s: Deps,
  logger: Logger,
  opts: { live?: boolean } = {},
): Promise<StartupProjections> {
  await s.ledger.loadHeads();
  const events = s.ledger.countKnown() ?? 0;
  const report =
    events > REPLAY_CHECK_MAX_EVENTS ? await compareVersions(s) : await checkProjections(s, { live: opts.live });
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
  if (events > REPLAY_CHECK_MAX_EVENTS)
    logger.info(
      { events },
      'a ledger this large is compared with its projections version by version at start-up; "provenant ledger verify" compares every projection with a replay',
    );
  s.projector.atStart = {
    streams: report.streams,
    caughtUp,
    drifted: drifted.length,
    unstorable: unstorable.length,
    ms: report.ms,
  };
  return s.projector.atStart;
}

/**
 * Each record stream's head (the ledger knows them all after loadHeads) against its projection's
 * version: one read of each projection collection, versions only. Behind or missing: caught up by
 * the caller; a projection with no stream: reported.
 */
async function compareVersions(s: Deps): Promise<Pick<ProjectionReportLike, 'streams' | 'comparisons' | 'ms'>> {
  const started = performance.now();
  const byType = new Map<RecordType<any>, Map<string, number>>();
  for (const [stream, h] of s.ledger.knownHeads().heads) {
    const t = recordTypeOf(stream);
    if (!t) continue;
    let m = byType.get(t);
    if (!m) byType.set(t, (m = new Map()));
    m.set(stream, h.version);
  }
  const comparisons: Comparison[] = [];
  let streams = 0;
  for (const t of allRecordTypes()) {
    const heads = byType.get(t) ?? new Map<string, number>();
    streams += heads.size;
    const have = new Map<string, number>();
    for await (const d of s.db.collection(t.collection).find({}, { projection: { ledgerVersion: 1 } }))
      have.set(String(d._id), typeof d.ledgerVersion === 'number' ? d.ledgerVersion : 0);
    for (const [stream, version] of heads) {
      const id = streamId(stream);
      const projected = have.get(id);
      have.delete(id);
      if (projected === version) continue;
      const behind = projected === undefined || projected < version;
      comparisons.push({
        stream,
        type: t,
        doc: projected === undefined ? null : { _id: id, ledgerVersion: projected },
        behind,
        finding: {
          stream,
          version: projected ?? 0,
          kind: 'projection-drift',
          detail: `projection at version ${projected ?? 'none'}, the ledger at version ${version}`,
        },
      });
    }
    for (const [id, projected] of have) {
      const stream = streamOf(t.type, id);
      comparisons.push({
        stream,
        type: t,
        doc: { _id: id, ledgerVersion: projected },
        orphan: true,
        finding: {
          stream,
          version: projected,
          kind: 'projection-drift',
          detail: 'a projection with no stream in the ledger',
        },
      });
    }
  }
  return { streams, comparisons, ms: Math.round(performance.now() - started) };
}
type ProjectionReportLike = Awaited<ReturnType<typeof checkProjections>>;

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
