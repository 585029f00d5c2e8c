import type { Services } from '../platform/services.ts';
import { EVENTS } from '../ledger/ledger.ts';
import type { LedgerEvent } from '../ledger/event.ts';
import type { Finding } from '../ledger/verify.ts';
import { canonicalize } from '../ledger/canonical.ts';
import { allRecordTypes, streamId, streamOf, type RecordType } from './registry.ts';
import { fold } from './projector.ts';

// Projections are derived data: each one must equal the fold of its stream. This compares every
// projection with a replay of its stream and names each difference like a ledger finding
// (stream, the projected version, what differs), for `ledger verify`, the start-up report and
// `projections rebuild`.
export type Deps = Pick<Services, 'db' | 'ledger' | 'projector'>;
type Doc = Record<string, unknown>;

export interface Comparison {
  stream: string;
  type: RecordType<any>;
  doc: Doc | null;
  head?: LedgerEvent;
  state?: object;
  expected?: Doc;
  finding?: Finding;
  /** Only behind its stream (or missing): start-up catch-up brings it level. */
  behind?: boolean;
  /** A projection whose stream has no events at all. */
  orphan?: boolean;
}

const projectedVersion = (doc: Doc | null) => (typeof doc?.ledgerVersion === 'number' ? doc.ledgerVersion : 0);
const drift = (stream: string, doc: Doc | null, detail: string): Finding => ({
  stream,
  version: projectedVersion(doc),
  kind: 'projection-drift',
  detail,
});
const safeCanonical = (v: unknown) => {
  try {
    return canonicalize(v);
  } catch (err) {
    return `!${(err as Error).message}`;
  }
};

/** Compares one stream's projection with the fold of its events (sorted by version). */
export function compareOne(t: RecordType<any>, stream: string, events: LedgerEvent[], doc: Doc | null): Comparison {
  const head = events.at(-1)!;
  const base: Comparison = { stream, type: t, doc, head };
  let state: object | undefined;
  try {
    state = fold(t, events);
  } catch (err) {
    return {
      ...base,
      finding: {
        stream,
        version: projectedVersion(doc),
        kind: 'projection-unstorable',
        detail: `the stream cannot be replayed at version ${head.version}: ${(err as Error).message}`,
      },
    };
  }
  const expected = { ...state, _id: streamId(stream), ledgerVersion: head.version } as Doc;
  let want: string;
  try {
    want = canonicalize(expected);
  } catch (err) {
    return {
      ...base,
      state,
      finding: {
        stream,
        version: projectedVersion(doc),
        kind: 'projection-unstorable',
        detail: `its state at version ${head.version} holds a value that cannot be stored (${(err as Error).message})`,
      },
    };
  }
  const withState = { ...base, state, expected };
  if (!doc)
    return {
      ...withState,
      behind: true,
      finding: drift(stream, doc, `no projection; the ledger is at version ${head.version}`),
    };
  const have = doc.ledgerVersion;
  if (have !== head.version) {
    const behind = typeof have === 'number' && have < head.version;
    return {
      ...withState,
      behind,
      finding: drift(stream, doc, `projection at version ${String(have)}, the ledger at version ${head.version}`),
    };
  }
  if (safeCanonical(doc) === want) return withState;
  const keys = [...new Set([...Object.keys(expected), ...Object.keys(doc)])]
    .filter((k) => safeCanonical(expected[k]) !== safeCanonical(doc[k]))
    .sort();
  const shown = keys.slice(0, 8).join(', ') + (keys.length > 8 ? ` and ${keys.length - 8} more` : '');
  return { ...withState, finding: drift(stream, doc, `differs from the replay of its stream in: ${shown}`) };
}

/** Every stream of type `t` compared with its projection; `given` are the type's events when already loaded. */
export async function compareType(s: Deps, t: RecordType<any>, given?: LedgerEvent[]): Promise<Comparison[]> {
  const events =
    given ??
    (await s.db
      .collection<LedgerEvent>(EVENTS)
      .find({ stream: { $regex: `^${t.type}:` } }, { projection: { _id: 0 } })
      .toArray());
  const byStream = new Map<string, LedgerEvent[]>();
  for (const e of events) {
    const list = byStream.get(e.stream);
    if (list) list.push(e);
    else byStream.set(e.stream, [e]);
  }
  const docs = new Map<string, Doc>();
  for await (const d of s.db.collection(t.collection).find({})) docs.set(String(d._id), d);
  const out: Comparison[] = [];
  for (const [stream, list] of byStream) {
    list.sort((a, b) => a.version - b.version);
    const id = streamId(stream);
    out.push(compareOne(t, stream, list, docs.get(id) ?? null));
    docs.delete(id);
  }
  for (const [id, doc] of docs) {
    const stream = streamOf(t.type, id);
    out.push({
      stream,
      type: t,
      doc,
      orphan: true,
      finding: drift(stream, doc, 'a projection with no stream in the ledger'),
    });
  }
  return out;
}

/**
 * A difference seen on a live server may be an append in flight (its event read before, its
 * projection after, or the reverse): such a stream is compared once more from fresh reads.
 */
async function settle(s: Deps, c: Comparison): Promise<Comparison> {
  if (!c.finding) return c;
  // _id lookups only (a filter on stream scans the whole ledger on the embedded engine)
  const upTo = Math.max(c.head?.version ?? 0, (await s.ledger.head(c.stream))?.version ?? 0);
  const events = await s.ledger.read(c.stream, upTo + 2, { fresh: true });
  const doc = await s.db.collection<Doc>(c.type.collection).findOne({ _id: streamId(c.stream) } as Doc);
  if (!events.length) return c.orphan && doc ? c : { stream: c.stream, type: c.type, doc };
  return compareOne(c.type, c.stream, events, doc);
}

export interface ProjectionReport {
  streams: number;
  findings: Finding[];
  comparisons: Comparison[];
  ms: number;
}

/**
 * Checks the projections of `types` (default: all); `events` is the whole ledger when the caller
 * loaded it already; `live` when the server is taking writes meanwhile.
 */
export async function checkProjections(
  s: Deps,
  opts: { types?: RecordType<any>[]; events?: LedgerEvent[]; live?: boolean } = {},
): Promise<ProjectionReport> {
  const started = performance.now();
  const comparisons: Comparison[] = [];
  // every type at once: one scan of the ledger (a filter per type would scan it once per type on the embedded engine)
  const events =
    opts.events ??
    (opts.types
      ? undefined
      : await s.db
          .collection<LedgerEvent>(EVENTS)
          .find({}, { projection: { _id: 0 } })
          .toArray());
  const byType = events ? groupByType(events) : null;
  for (const t of opts.types ?? allRecordTypes()) {
    for (const c of await compareType(s, t, byType ? (byType.get(t.type) ?? []) : undefined))
      comparisons.push(c.finding && opts.live ? await settle(s, c) : c);
  }
  // a record the engine refused to store is named with the engine's reason
  const refused = new Map(s.projector.unstorableRecords().map((u) => [u.stream, u]));
  const findings = comparisons.flatMap((c) => {
    const u = refused.get(c.stream);
    if (u && c.finding?.kind === 'projection-drift' && c.behind)
      return [
        {
          stream: c.stream,
          version: projectedVersion(c.doc),
          kind: 'projection-unstorable' as const,
          detail: `version ${u.version} cannot be stored: ${u.reason}`,
        },
      ];
    return c.finding ? [c.finding] : [];
  });
  return {
    streams: comparisons.filter((c) => !c.orphan).length,
    findings,
    comparisons,
    ms: Math.round(performance.now() - started),
  };
}

function groupByType(events: LedgerEvent[]): Map<string, LedgerEvent[]> {
  const out = new Map<string, LedgerEvent[]>();
  for (const e of events) {
    const type = e.stream.slice(0, e.stream.indexOf(':'));
    const list = out.get(type);
    if (list) list.push(e);
    else out.set(type, [e]);
  }
  return out;
}
