import { canonicalBytes, GENESIS_HASH, hashEvent, quickHashMatches, sha256Hex, type LedgerEvent } from './event.ts';

// Pure verification of hash chains: used against the database and against an exported bundle
// (no database at all). Each finding names the stream and version an auditor must look at.
export type FindingKind =
  | 'edited'
  | 'deleted'
  | 'inserted'
  | 'reordered'
  | 'chain-broken'
  | 'forged-checkpoint'
  | 'checkpoint-mismatch'
  | 'forged-manifest'
  | 'invalid-signature'
  | 'projection-drift'
  | 'projection-unstorable'
  // event seals and the checkpoint witness outside the database (sealVerify.ts, witness.ts)
  | 'unsealed'
  | 'bad-seal'
  | 'checkpoint-missing'
  | 'checkpoint-replaced'
  | 'expected-root-missing';
export interface Finding {
  stream: string;
  version: number;
  kind: FindingKind;
  detail: string;
}
export type EventStatus = 'ok' | 'hash-mismatch' | 'chain-broken';

/** Verifies one stream's events (any order in, sorted here). Returns findings and a status per version. */
export function verifyStream(
  stream: string,
  input: LedgerEvent[],
): { findings: Finding[]; status: Map<number, EventStatus> } {
  const events = [...input].sort((a, b) => a.version - b.version);
  const findings: Finding[] = [];
  const status = new Map<number, EventStatus>();
  const byHash = new Map(events.map((e) => [e.hash, e]));
  const originalVersion = new Map<LedgerEvent, number>();
  const add = (version: number, kind: FindingKind, detail: string) => findings.push({ stream, version, kind, detail });

  // Pass 1: each event's own hash. On a mismatch, ask whether only its version number was changed.
  for (const e of events) {
    if (hashEvent(e) === e.hash) continue;
    const was = findOriginalVersion(e, events.length + 2);
    if (was !== undefined) originalVersion.set(e, was);
    else add(e.version, 'edited', `content does not match its hash ${e.hash.slice(0, 12)}…`);
    status.set(e.version, 'hash-mismatch');
  }
  // Events whose version field was moved: a move up past an event that fits the chain is an insertion.
  for (const [e, was] of originalVersion) {
    const squatter = events.find((x) => x.version === was && !originalVersion.has(x));
    if (squatter && was < e.version)
      add(was, 'inserted', `event "${squatter.type}" was slipped in before the original version ${was}`);
    else add(e.version, 'reordered', `this event was written as version ${was}`);
  }
  // Pass 2: versions contiguous from 1, and each prevHash links to its predecessor.
  let prev: LedgerEvent | undefined;
  let expected = 1;
  for (const e of events) {
    if (e.version > expected)
      for (let v = expected; v < e.version; v++) add(v, 'deleted', 'version missing from the stream');
    if (prev && e.version === prev.version) add(e.version, 'inserted', 'two events claim this version');
    const wantPrev = prev ? prev.hash : GENESIS_HASH;
    if (e.prevHash !== wantPrev && !(prev && e.version > prev.version + 1)) {
      const realPrev = byHash.get(e.prevHash);
      const known = findings.some((f) => f.version === e.version || (prev && f.version === prev.version));
      if (realPrev && realPrev !== prev)
        add(e.version, 'reordered', `links to version ${realPrev.version}, not to its predecessor`);
      else if (!known)
        add(
          prev ? prev.version : e.version,
          'edited',
          `version ${e.version} does not link to it: it was changed and re-hashed`,
        );
      if (!status.has(e.version)) status.set(e.version, 'chain-broken');
    }
    if (!status.has(e.version)) status.set(e.version, 'ok');
    prev = e;
    expected = e.version + 1;
  }
  return { findings: dedupe(findings), status };
}

function findOriginalVersion(e: LedgerEvent, maxVersion: number): number | undefined {
  for (let v = 1; v <= Math.min(maxVersion, 5000); v++) {
    if (v !== e.version && sha256Hex(canonicalBytes({ ...e, version: v })) === e.hash) return v;
  }
  return undefined;
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings
    .filter((f) => {
      const k = `${f.stream}#${f.version}#${f.kind}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((a, b) => a.version - b.version);
}

/** Verifies many streams; `events` must be grouped by stream (e.g. sorted by stream then version). */
export function verifyAll(events: Iterable<LedgerEvent>): {
  findings: Finding[];
  streams: number;
  events: number;
  heads: Map<string, LedgerEvent>;
} {
  const findings: Finding[] = [];
  const heads = new Map<string, LedgerEvent>();
  let current: LedgerEvent[] = [];
  let streams = 0;
  let count = 0;
  const flush = () => {
    if (!current.length) return;
    const stream = current[0].stream;
    findings.push(...fastOrFullVerify(stream, current));
    heads.set(
      stream,
      current.reduce((a, b) => (b.version > a.version ? b : a)),
    );
    streams++;
    current = [];
  };
  for (const e of events) {
    count++;
    if (current.length && current[0].stream !== e.stream) flush();
    current.push(e);
  }
  flush();
  return { findings, streams, events: count, heads };
}

// The common case (an intact, sorted chain) takes one hash per event; anything odd gets the
// full diagnosis above.
function fastOrFullVerify(stream: string, events: LedgerEvent[]): Finding[] {
  let prevHash = GENESIS_HASH;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (e.version !== i + 1 || e.prevHash !== prevHash || !(quickHashMatches(e) || hashEvent(e) === e.hash))
      return verifyStream(stream, events).findings;
    prevHash = e.hash;
  }
  return [];
}
