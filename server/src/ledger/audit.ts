import type { Db } from 'mongodb';
import type { LedgerEvent } from './event.ts';
import { EVENTS } from './ledger.ts';
import { CHECKPOINTS, isWellFormedCheckpoint, type Checkpoint } from './checkpoints.ts';
import { verifyAll, type Finding } from './verify.ts';
import { expectRootFinding, sealedHeadFindings, uncoveredEvents, verifyCheckpoints } from './verifyCheckpoints.ts';
import { verifySeals } from './sealVerify.ts';
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
  const badCheckpoints: Finding[] = checkpoints
    .filter((c) => !isWellFormedCheckpoint(c))
    .map((c) => ({
      stream: '(checkpoint)',
      version: Number.isSafeInteger((c as { seq?: unknown })?.seq) ? (c as { seq: number }).seq : 0,
      kind: 'forged-checkpoint',
      detail: 'a document among the checkpoints that is not a checkpoint',
    }));
  checkpoints = checkpoints.filter(isWellFormedCheckpoint);
  const witnessed = opts.witness
    ? mergeWitnessed(checkpoints, opts.witness.checkpoints)
    : { chain: checkpoints, findings: [], replaced: [] };
  const cps = verifyCheckpoints(witnessed.chain, certPem, caCertPem, eventHash);
  const replacedHeads = witnessed.replaced.flatMap((c) =>
    sealedHeadFindings(c, eventHash, undefined, `witnessed checkpoint ${c.seq}`),
  );
  const sealKey = cps.sealKey ?? opts.sealKey;
  const keyFindings: Finding[] =
    opts.sealKey && cps.sealKey && opts.sealKey !== cps.sealKey
      ? [
          {
            stream: '(seal key)',
            version: 0,
            kind: 'bad-seal',
            detail: 'the seal key file this server holds is not the key the signed checkpoints certify',
          },
        ]
      : [];
  const findings = [
    ...malformed,
    ...badCheckpoints,
    ...mergeFindings(chains.findings, [...cps.findings, ...replacedHeads]),
    ...witnessed.findings,
    ...(opts.witness?.findings ?? []),
    ...keyFindings,
    ...verifySeals(events, sealKey, cps.legacy),
    ...expectRootFinding(witnessed.chain, opts.expectRoot),
  ];
  return {
    ok: findings.length === 0,
    streams: chains.streams,
    events: chains.events,
    checkpoints: checkpoints.length,
    findings,
    uncovered: uncoveredEvents(chains.heads.values(), cps.sealed),
    ...(opts.witness ? { witnessed: opts.witness.checkpoints.length } : {}),
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

/** The database ledger as this server sees it: with its seal key and its witness files. */
export function verifyServerLedger(s: Services, expectRoot?: string): Promise<LedgerReport> {
  return verifyDatabaseLedger(s.db, s.signer.certPem, s.signer.caCertPem, {
    sealKey: s.ledger.sealer?.publicKey,
    witness: s.checkpointer.witness?.read(),
    expectRoot,
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

// A checkpoint mismatch on a version the chain check already named adds nothing.
function mergeFindings(chain: Finding[], cps: Finding[]): Finding[] {
  const named = new Set(chain.map((f) => `${f.stream}\u0000${f.version}`));
  return [
    ...chain,
    ...cps.filter((f) => f.kind === 'forged-checkpoint' || !named.has(`${f.stream}\u0000${f.version}`)),
  ];
}
