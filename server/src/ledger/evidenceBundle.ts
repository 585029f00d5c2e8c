import { canonicalize } from './canonical.ts';
import { sha256Hex, type LedgerEvent } from './event.ts';
import type { CheckpointBody } from './checkpoints.ts';
import { verifyInclusion, type InclusionProof, type StreamHead } from './merkle.ts';
import { verifyAll, type Finding } from './verify.ts';
import { expectRootFinding, uncoveredEvents, verifyCheckpoints } from './verifyCheckpoints.ts';
import { verifySeals } from './sealVerify.ts';
import type { LedgerReport } from './audit.ts';
import { certFingerprint } from '../../../signatures/pki.ts';
import { certIssuedBy, verifyWithCert } from '../../../signatures/signer.ts';

// A scoped evidence bundle (the auditor portal's download): the events of the streams a grant
// puts in scope, the signed body of every checkpoint WITHOUT its list of changed streams, and for
// each included stream an RFC 9162 inclusion proof of its head under the latest checkpoint's
// root, so the bundle proves its records are what the ledger sealed while naming no other record
// (issue 9, finding 23). Also the records as the auditor saw them, their sealed PDFs (DHRs,
// controlled copies) whose SHA-256 the ledger holds, and a manifest signed by the server key that
// binds every section. Verified here with no database: pure functions over the parsed file.
// Format 1 (whole checkpoints, no proofs) is still verified, for bundles downloaded before.
export const EVIDENCE_FORMAT = 'provenant-evidence-bundle/2';
const EVIDENCE_FORMAT_1 = 'provenant-evidence-bundle/1';
export const isEvidenceFormat = (f: unknown) => f === EVIDENCE_FORMAT || f === EVIDENCE_FORMAT_1;

export const EVIDENCE_SECTIONS = [
  'grant',
  'scope',
  'records',
  'pdfs',
  'events',
  'checkpoints',
  'proofs',
  'certificate',
  'caCertificate',
] as const;
type Section = (typeof EVIDENCE_SECTIONS)[number];

export interface EvidenceManifest {
  format: string;
  grantId: string;
  exportedAt: string;
  checkpointSeq: number;
  certFingerprint: string;
  /** The head of every stream whose events are in the bundle. */
  streams: StreamHead[];
  /** SHA-256 of the canonical JSON (RFC 8785) of each section. */
  sha256: Record<Section, string>;
  /** Server-key signature (base64) over the canonical JSON of the manifest without this field. */
  signature: string;
}

/** A stream's head as checkpoint `checkpointSeq` sealed it, and the path from it to that root. */
export type HeadProof = StreamHead & InclusionProof & { checkpointSeq: number };

export interface EvidenceBundle {
  format: string;
  exportedAt: string;
  grant: { id: string } & Record<string, unknown>;
  scope: unknown[];
  certificate: string;
  caCertificate: string;
  checkpoints: CheckpointBody[];
  events: LedgerEvent[];
  proofs: HeadProof[];
  records: Array<{ stream: string; record: unknown }>;
  /** Sealed PDFs; `exportStream` is the ledger stream whose export.generated event holds their SHA-256. */
  pdfs: EvidencePdf[];
  manifest: EvidenceManifest;
}
export interface EvidencePdf {
  stream: string;
  filename: string;
  sha256: string;
  exportStream: string;
  base64: string;
}

export const sectionHash = (value: unknown) => sha256Hex(canonicalize(value ?? null));
export const manifestPayload = ({ signature: _s, ...body }: EvidenceManifest) => canonicalize(body);

export interface EvidenceReport extends LedgerReport {
  evidence: { grantId: string; records: number; pdfs: number; exportedAt: string; manifestValid: boolean };
}

/** Verifies a scoped bundle; `trustedCaPem` is the CA an auditor holds out of band (else the bundle's own). */
export function verifyEvidenceBundle(
  bundle: EvidenceBundle,
  trustedCaPem?: string,
  expectRoot?: string,
): EvidenceReport {
  const findings: Finding[] = [];
  const manifestFinding = (detail: string) =>
    findings.push({ stream: '(manifest)', version: 0, kind: 'forged-manifest', detail });
  const m = bundle.manifest;
  const caPem = trustedCaPem ?? bundle.caCertificate;
  const v1 = bundle.format === EVIDENCE_FORMAT_1;
  if (!m || typeof m !== 'object') throw new Error('the bundle has no manifest');

  // 1. the manifest: issued by our CA, signed by the server key, and binding every section
  // (an altered certificate may not even parse: that is a finding, not a crash)
  if (!safely(() => certIssuedBy(bundle.certificate, caPem)))
    manifestFinding('the sealing certificate was not issued by the CA');
  if (
    !safely(
      () =>
        m.certFingerprint === certFingerprint(bundle.certificate) &&
        verifyWithCert(bundle.certificate, manifestPayload(m), m.signature ?? ''),
    )
  ) {
    manifestFinding('the manifest signature does not verify with the server certificate');
  }
  if (m.format !== bundle.format || m.exportedAt !== bundle.exportedAt || m.grantId !== bundle.grant?.id)
    manifestFinding('format, export time or grant differ from the signed manifest');
  for (const section of EVIDENCE_SECTIONS) {
    if (v1 && section === 'proofs') continue;
    if (sectionHash(bundle[section]) !== m.sha256?.[section])
      manifestFinding(`"${section}" does not match the signed manifest: it was changed after export`);
  }

  // 2. every included stream's chain, from version 1
  const events = [...bundle.events].sort((a, b) =>
    a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : a.version - b.version,
  );
  const chains = verifyAll(events);
  findings.push(...chains.findings);
  const listed = new Map((m.streams ?? []).map((h) => [h.stream, h]));
  for (const [stream, head] of chains.heads) {
    const want = listed.get(stream);
    if (!want) manifestFinding(`stream ${stream} is not listed in the manifest`);
    else if (want.version !== head.version || want.hash !== head.hash)
      findings.push({
        stream,
        version: want.version,
        kind: 'deleted',
        detail: `the manifest lists head version ${want.version}; the bundle ends at ${head.version}`,
      });
  }
  for (const stream of listed.keys())
    if (!chains.heads.has(stream))
      findings.push({
        stream,
        version: 1,
        kind: 'deleted',
        detail: 'the manifest lists this stream; its events are missing',
      });

  // 3. the checkpoint chain (numbering, link, hash, signature, certified seal key); then each
  // included head under the signed root: by its inclusion proof, or (format 1) by the full lists
  const index = new Map(events.map((e) => [`${e.stream}\u0000${e.version}`, e.hash]));
  const eventHash = (s: string, v: number) => index.get(`${s}\u0000${v}`);
  const included = (stream: string) => chains.heads.has(stream) || listed.has(stream);
  let check: ReturnType<typeof verifyCheckpoints> = { findings: [], sealed: new Map(), legacy: new Map() };
  try {
    check = verifyCheckpoints(bundle.checkpoints, bundle.certificate, caPem, eventHash, included);
    findings.push(...check.findings);
  } catch (err) {
    findings.push({
      stream: '(checkpoint)',
      version: 0,
      kind: 'forged-checkpoint',
      detail: `the checkpoints cannot be checked: ${(err as Error).message}`,
    });
  }
  const sealed = v1 ? check.sealed : provenHeads(bundle, eventHash, findings);
  findings.push(
    ...verifySeals(events, check.sealKey, check.legacy),
    ...expectRootFinding(bundle.checkpoints, expectRoot),
  );

  // 4. each PDF is the file whose SHA-256 the ledger recorded when it was generated for that record
  const byStream = new Map<string, LedgerEvent>();
  for (const e of events) if (e.version === 1) byStream.set(e.stream, e);
  for (const p of bundle.pdfs ?? []) {
    const generated = byStream.get(p.exportStream);
    const data = (generated?.data ?? {}) as { sha256?: string; recordStream?: string };
    if (
      sha256Hex(Buffer.from(p.base64 ?? '', 'base64')) !== p.sha256 ||
      data.sha256 !== p.sha256 ||
      data.recordStream !== p.stream
    ) {
      findings.push({
        stream: p.exportStream,
        version: 1,
        kind: 'edited',
        detail: `${p.filename} does not match the SHA-256 the ledger recorded for it`,
      });
    }
  }

  // events appended after the checkpoint that proves their stream are chained and sealed, not yet covered
  const uncovered = uncoveredEvents(chains.heads.values(), sealed);

  const deduped = dedupe(findings);
  return {
    ok: deduped.length === 0,
    streams: chains.streams,
    events: chains.events,
    checkpoints: bundle.checkpoints.length,
    findings: deduped,
    uncovered,
    evidence: {
      grantId: String(bundle.grant?.id),
      records: bundle.records?.length ?? 0,
      pdfs: bundle.pdfs?.length ?? 0,
      exportedAt: bundle.exportedAt,
      manifestValid: !deduped.some((f) => f.kind === 'forged-manifest'),
    },
  };
}

/**
 * Each proof: a head that checkpoint `checkpointSeq` sealed, proved under its root, and still the
 * hash of that version in the bundle. Returns the proved heads (what the checkpoints cover).
 */
function provenHeads(
  bundle: EvidenceBundle,
  eventHash: (s: string, v: number) => string | undefined,
  findings: Finding[],
): Map<string, StreamHead> {
  const roots = new Map(bundle.checkpoints.map((c) => [c.seq, c.root]));
  const proven = new Map<string, StreamHead>();
  for (const p of Array.isArray(bundle.proofs) ? bundle.proofs : []) {
    if (typeof p !== 'object' || p === null || typeof p.stream !== 'string' || !Number.isSafeInteger(p.version)) {
      findings.push({
        stream: '(proof)',
        version: 0,
        kind: 'checkpoint-mismatch',
        detail: 'an entry among the inclusion proofs is not a proof',
      });
      continue;
    }
    const head = { stream: p.stream, version: p.version, hash: p.hash };
    const root = roots.get(p.checkpointSeq);
    if (!root || !safely(() => verifyInclusion(head, p, root))) {
      findings.push({
        stream: p.stream,
        version: p.version,
        kind: 'checkpoint-mismatch',
        detail: `its inclusion proof does not lead to the root of checkpoint ${p.checkpointSeq}`,
      });
      continue;
    }
    const actual = eventHash(p.stream, p.version);
    if (actual === undefined)
      findings.push({
        stream: p.stream,
        version: p.version,
        kind: 'deleted',
        detail: `checkpoint ${p.checkpointSeq} sealed this version; the bundle lacks it`,
      });
    else if (actual !== p.hash)
      findings.push({
        stream: p.stream,
        version: p.version,
        kind: 'checkpoint-mismatch',
        detail: `differs from what checkpoint ${p.checkpointSeq} sealed`,
      });
    else proven.set(p.stream, head);
  }
  return proven;
}

function safely(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.stream}\u0000${f.version}\u0000${f.kind}\u0000${f.detail}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
}
