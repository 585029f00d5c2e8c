import { availableParallelism } from 'node:os';
import type { Db } from 'mongodb';
import type { LedgerEvent } from './event.ts';
import { EVENTS } from './ledger.ts';
import { CHECKPOINTS, isWellFormedCheckpoint, type Checkpoint } from './checkpoints.ts';
import { verifyAll, type Finding } from './verify.ts';
import {
  expectRootFinding,
  sealedHeadFindings,
  uncoveredEvents,
  verifyCheckpoints,
  type CheckpointCheck,
} from './verifyCheckpoints.ts';
import { sealFindings, unverifiableFinding } from './sealVerify.ts';
import { verifyParallel } from './parallelVerify.ts';
import { mergeWitnessed, type Witness } from './witness.ts';
import type { Services } from '../platform/services.ts';
import { checkRecords, type RecordChecks } from '../records/recordAudit.ts';

export interface LedgerReport {
  ok: boolean;
  streams: number;
  events: number;
  checkpoints: number;
  findings: Finding[];
  /** Events no checkpoint covers yet (appended after the last one that sealed their stream). */
  uncovered: number;
  /** Checkpoints found in the witness file(s) outside the database, when they were read. */
  witnessed?: number;
  /** E-signatures verified and projections compared with their streams (database checks only). */
  signatures?: number;
  projections?: number;
  /** Worker threads the chains and seals were verified on (verifyStreamedLedger). */
  workers?: number;
  /** Seals verified and why those (sealVerify.ts): `covered` events were left to the verified checkpoint that seals them. */
  seals?: SealReport;
}

export interface SealReport {
  checked: number;
  covered: number;
  /** Every seal was checked: asked for (--all-seals), or no verified checkpoint to rely on. */
  all: boolean;
  why: string;
}

export interface IntegrityOptions {
  /** The public key of the seal key file this server holds: must be the one the checkpoints certify. */
  sealKey?: string;
  /** What the witness file(s) hold (Witness.read()). */
  witness?: ReturnType<Witness['read']>;
  /** A checkpoint root (or hash) an auditor saved earlier: it must still be in the chain. */
  expectRoot?: string;
  /** Checks of the records themselves on the loaded events: signatures and projections (records/recordAudit.ts). */
  records?: (events: LedgerEvent[]) => Promise<RecordChecks>;
  /** Check the seal of every event, also those a verified checkpoint covers (`ledger verify --all-seals`). */
  allSeals?: boolean;
}

/**
 * The heads the verified checkpoints sealed, up to which the seals need not be checked (why that is
 * sound: sealVerify.ts); undefined (every seal checked) when asked to, or when any checkpoint fails
 * its own checks (signature, link, hash, root), since then none is relied on.
 */
function sealCoverage(cps: CheckpointCheck, opts: IntegrityOptions): CheckpointCheck['sealed'] | undefined {
  if (opts.allSeals || cps.findings.some((f) => f.kind === 'forged-checkpoint')) return undefined;
  return cps.sealed;
}
function sealReport(
  checked: number,
  covered: number,
  sealed: CheckpointCheck['sealed'] | undefined,
  opts: IntegrityOptions,
): SealReport {
  const why = opts.allSeals
    ? 'every seal, as asked (--all-seals)'
    : !sealed
      ? 'every seal: a checkpoint fails its own checks, so none vouches for the events it sealed'
      : `the events after the newest verified checkpoint of their stream (and every event of a stream whose sealed head or chain does not match); the ${covered} event(s) up to a verified checkpoint are protected by its signed Merkle root through the hash chain (--all-seals checks their seals too)`;
  return { checked, covered, all: !sealed, why };
}

/** Verifies the whole ledger from a list of events and checkpoints (database or bundle alike). */
export function verifyLedgerContent(
  stored: LedgerEvent[],
  checkpoints: Checkpoint[],
  certPem: string,
  caCertPem: string,
  opts: IntegrityOptions = {},
): LedgerReport {
  const events = stored.filter(isWellFormedEvent);
  const malformed = stored.filter((e) => !isWellFormedEvent(e)).map(malformedFinding);
  events.sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : a.version - b.version));
  const chains = verifyAll(events);
  const index = new Map<string, string>();
  for (const e of events) index.set(`${e.stream}\u0000${e.version}`, e.hash);
  const eventHash = (s: string, v: number) => index.get(`${s}\u0000${v}`);
  const { badCheckpoints, witnessed, wellFormed: checked } = checkpointChain(checkpoints, opts);
  const cps = verifyCheckpoints(witnessed.chain, certPem, caCertPem, eventHash);
  const sealKey = cps.sealKey ?? opts.sealKey;
  const sealed = sealCoverage(cps, opts);
  const seals = sealFindings(
    events,
    sealKey,
    cps.legacy,
    sealed && { sealed, suspect: new Set(chains.findings.map((f) => f.stream)) },
  );
  const findings = reportFindings(
    { malformed, badCheckpoints, chains: chains.findings, cps, witnessed, eventHash },
    [...seals.findings, ...unverifiableFinding(seals.unverifiable)],
    opts,
  );
  return {
    ok: findings.length === 0,
    streams: chains.streams,
    events: chains.events,
    checkpoints: checked.length,
    findings,
    uncovered: uncoveredEvents(chains.heads.values(), cps.sealed),
    ...(opts.witness ? { witnessed: opts.witness.checkpoints.length } : {}),
    seals: sealReport(seals.checked, seals.covered, sealed, opts),
  };
}

export async function verifyDatabaseLedger(
  db: Db,
  certPem: string,
  caCertPem: string,
  opts: IntegrityOptions = {},
): Promise<LedgerReport> {
  const events = await db
    .collection<LedgerEvent>(EVENTS)
    .find({}, { projection: { _id: 0 } })
    .toArray();
  const checkpoints = await db
    .collection<Checkpoint>(CHECKPOINTS)
    .find({}, { projection: { _id: 0 } })
    .toArray();
  const report = verifyLedgerContent(events, checkpoints, certPem, caCertPem, opts);
  if (!opts.records) return report;
  const more = await opts.records(events.filter(isWellFormedEvent));
  const findings = [...report.findings, ...more.findings];
  return { ...report, ok: findings.length === 0, findings, signatures: more.signatures, projections: more.projections };
}

/**
 * verifyDatabaseLedger with the per-event work (hashes, chain links, seals) on worker threads,
 * streamed from a cursor sorted by stream and version (parallelVerify.ts): the events are not held
 * in memory for it. The checkpoints are verified first (they give the certified seal key and the
 * streams sealed before events carried seals); the heads they name are read by a query of their
 * own. Same findings, in the same order, as verifyDatabaseLedger. The record checks (`records`:
 * signatures and projections) still take the whole ledger.
 */
export async function verifyStreamedLedger(
  db: Db,
  certPem: string,
  caCertPem: string,
  opts: IntegrityOptions & { workers?: number } = {},
): Promise<LedgerReport> {
  const col = db.collection<LedgerEvent>(EVENTS);
  const checkpoints = await db
    .collection<Checkpoint>(CHECKPOINTS)
    .find({}, { projection: { _id: 0 } })
    .toArray();
  const { badCheckpoints, witnessed, wellFormed: checked } = checkpointChain(checkpoints, opts);
  // the seal key and the streams sealed before events carried seals do not depend on the events:
  // known before the events stream by; the hashes of the heads the checkpoints sealed are picked up
  // on the way, then the checkpoints are checked against them
  const first = verifyCheckpoints(witnessed.chain, certPem, caCertPem, () => undefined);
  const sealKey = first.sealKey ?? opts.sealKey;
  const wanted = new Set<string>();
  for (const c of [...witnessed.chain, ...witnessed.replaced])
    for (const h of c.changed ?? []) wanted.add(`${h.stream}\u0000${h.version}`);
  const index = new Map<string, string>();
  const malformed: Finding[] = [];
  async function* wellFormed() {
    for await (const e of col.find({}, { projection: { _id: 0 } }).sort({ stream: 1, version: 1 }))
      if (isWellFormedEvent(e)) {
        const key = `${e.stream}\u0000${e.version}`;
        if (wanted.has(key)) index.set(key, e.hash);
        yield e;
      } else malformed.push(malformedFinding(e));
  }
  const workers = Math.max(1, opts.workers ?? availableParallelism());
  // the checkpoints' own checks (signature, link, hash, root) do not depend on the events either
  const sealed = sealCoverage(first, opts);
  const chains = await verifyParallel(wellFormed(), { sealKey, legacy: first.legacy, workers, sealed });
  const eventHash = (s: string, v: number) => index.get(`${s}\u0000${v}`);
  const cps = verifyCheckpoints(witnessed.chain, certPem, caCertPem, eventHash);
  const findings = reportFindings(
    { malformed, badCheckpoints, chains: chains.findings, cps, witnessed, eventHash },
    chains.sealFindings,
    opts,
  );
  const report: LedgerReport = {
    ok: findings.length === 0,
    streams: chains.streams,
    events: chains.events,
    checkpoints: checked.length,
    findings,
    uncovered: uncoveredEvents(
      [...chains.heads].map(([stream, h]) => ({ stream, version: h.version })),
      cps.sealed,
    ),
    ...(opts.witness ? { witnessed: opts.witness.checkpoints.length } : {}),
    seals: sealReport(chains.seals.checked, chains.seals.covered, sealed, opts),
    workers,
  };
  if (!opts.records) return report;
  const events = (await col.find({}, { projection: { _id: 0 } }).toArray()).filter(isWellFormedEvent);
  const more = await opts.records(events);
  const all = [...report.findings, ...more.findings];
  return { ...report, ok: all.length === 0, findings: all, signatures: more.signatures, projections: more.projections };
}

/**
 * The database ledger as this server sees it: with its seal key and its witness files. `workers`
 * (the CLI's --threads): the chains and seals streamed through that many worker threads
 * (verifyStreamedLedger); absent or 0, in this thread from the loaded events (verifyDatabaseLedger).
 */
export function verifyServerLedger(
  s: Services,
  expectRoot?: string,
  workers = 0,
  allSeals = false,
): Promise<LedgerReport> {
  const streamed = (db: Db, cert: string, ca: string, opts: IntegrityOptions) =>
    verifyStreamedLedger(db, cert, ca, { ...opts, workers });
  return (workers > 0 ? streamed : verifyDatabaseLedger)(s.db, s.signer.certPem, s.signer.caCertPem, {
    sealKey: s.ledger.sealer?.publicKey,
    witness: s.checkpointer.witness?.read(),
    expectRoot,
    allSeals,
    records: (events) => checkRecords(s, events),
  });
}

/** A document anyone could slip into the collection: it must be named, and must not derail the other checks. */
export function isWellFormedEvent(e: LedgerEvent): boolean {
  return (
    typeof e?.stream === 'string' &&
    Number.isSafeInteger(e.version) &&
    e.version >= 1 &&
    typeof e.hash === 'string' &&
    typeof e.prevHash === 'string' &&
    typeof e.type === 'string'
  );
}
function malformedFinding(e: LedgerEvent): Finding {
  return {
    stream: typeof e?.stream === 'string' ? e.stream : '(no stream)',
    version: Number.isSafeInteger(e?.version) ? e.version : 0,
    kind: 'inserted',
    detail:
      'a document in the ledger that is not an event (stream, version, type, hash or link missing or of the wrong type)',
  };
}

/**
 * The documents among the checkpoints that are not checkpoints, and the well-formed ones merged
 * with what the witness file(s) hold: the chain both verifiers check.
 */
function checkpointChain(all: Checkpoint[], opts: IntegrityOptions) {
  const badCheckpoints: Finding[] = all
    .filter((c) => !isWellFormedCheckpoint(c))
    .map((c) => ({
      stream: '(checkpoint)',
      version: Number.isSafeInteger((c as { seq?: unknown })?.seq) ? (c as { seq: number }).seq : 0,
      kind: 'forged-checkpoint',
      detail: 'a document among the checkpoints that is not a checkpoint',
    }));
  const checkpoints = all.filter(isWellFormedCheckpoint);
  const witnessed: ReturnType<typeof mergeWitnessed> = opts.witness
    ? mergeWitnessed(checkpoints, opts.witness.checkpoints)
    : { chain: checkpoints, findings: [], replaced: [] };
  return { badCheckpoints, witnessed, wellFormed: checkpoints };
}

/**
 * Every finding of one verification, in the one order both verifiers report (so the loaded and the
 * streamed verify give the same report line for line): not-events, not-checkpoints, chain and
 * checkpoint mismatches, the witness's, a seal key the checkpoints do not certify, seals, the
 * expected root.
 */
function reportFindings(
  p: {
    malformed: Finding[];
    badCheckpoints: Finding[];
    chains: Finding[];
    cps: ReturnType<typeof verifyCheckpoints>;
    witnessed: ReturnType<typeof mergeWitnessed>;
    eventHash: (stream: string, version: number) => string | undefined;
  },
  seals: Finding[],
  opts: IntegrityOptions,
): Finding[] {
  const replacedHeads = p.witnessed.replaced.flatMap((c) =>
    sealedHeadFindings(c, p.eventHash, undefined, `witnessed checkpoint ${c.seq}`),
  );
  const keyFindings: Finding[] =
    opts.sealKey && p.cps.sealKey && opts.sealKey !== p.cps.sealKey
      ? [
          {
            stream: '(seal key)',
            version: 0,
            kind: 'bad-seal',
            detail: 'the seal key file this server holds is not the key the signed checkpoints certify',
          },
        ]
      : [];
  return [
    ...p.malformed,
    ...p.badCheckpoints,
    ...mergeFindings(p.chains, [...p.cps.findings, ...replacedHeads]),
    ...p.witnessed.findings,
    ...(opts.witness?.findings ?? []),
    ...keyFindings,
    ...seals,
    ...expectRootFinding(p.witnessed.chain, opts.expectRoot),
  ];
}

// A checkpoint mismatch on a version the chain check already named adds nothing.
function mergeFindings(chain: Finding[], cps: Finding[]): Finding[] {
  const named = new Set(chain.map((f) => `${f.stream}\u0000${f.version}`));
  return [
    ...chain,
    ...cps.filter((f) => f.kind === 'forged-checkpoint' || !named.has(`${f.stream}\u0000${f.version}`)),
  ];
}
