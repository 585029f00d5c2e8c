import { canonicalize } from './canonical.ts';
import { sha256Hex, type LedgerEvent } from './event.ts';
import type { Checkpoint } from './checkpoints.ts';
import type { StreamHead } from './merkle.ts';
import { verifyAll, type Finding } from './verify.ts';
import { verifyCheckpoints } from './verifyCheckpoints.ts';
import type { LedgerReport } from './audit.ts';
import { certFingerprint } from '../../../signatures/pki.ts';
import { certIssuedBy, verifyWithCert } from '../../../signatures/signer.ts';

// A scoped evidence bundle (the auditor portal's download): the events of the streams a grant
// puts in scope, every checkpoint (in full: a checkpoint's hash and signature cover the heads
// it lists, and its Merkle root covers all heads, so none can be trimmed), the records as the
// auditor saw them, their sealed PDFs (DHRs, controlled copies) whose SHA-256 the ledger holds,
// and a manifest signed by the server key that binds every section.
// Verified here with no database: pure functions over the parsed file.
export const EVIDENCE_FORMAT = 'provenant-evidence-bundle/1';

export const EVIDENCE_SECTIONS = ['grant', 'scope', 'records', 'pdfs', 'events', 'checkpoints', 'certificate', 'caCertificate'] as const;
type Section = (typeof EVIDENCE_SECTIONS)[number];

export interface EvidenceManifest {
  format: typeof EVIDENCE_FORMAT; grantId: string; exportedAt: string; checkpointSeq: number; certFingerprint: string;
  /** The head of every stream whose events are in the bundle. */
  streams: StreamHead[];
  /** SHA-256 of the canonical JSON (RFC 8785) of each section. */
  sha256: Record<Section, string>;
  /** Server-key signature (base64) over the canonical JSON of the manifest without this field. */
  signature: string;
}

export interface EvidenceBundle {
  format: typeof EVIDENCE_FORMAT; exportedAt: string;
  grant: { id: string } & Record<string, unknown>;
  scope: unknown[];
  certificate: string; caCertificate: string;
  checkpoints: Checkpoint[]; events: LedgerEvent[];
  records: Array<{ stream: string; record: unknown }>;
  /** Sealed PDFs; `exportStream` is the ledger stream whose export.generated event holds their SHA-256. */
  pdfs: EvidencePdf[];
  manifest: EvidenceManifest;
}
export interface EvidencePdf { stream: string; filename: string; sha256: string; exportStream: string; base64: string }

export const sectionHash = (value: unknown) => sha256Hex(canonicalize(value ?? null));
export const manifestPayload = ({ signature: _s, ...body }: EvidenceManifest) => canonicalize(body);

export interface EvidenceReport extends LedgerReport {
  uncovered: number;
  evidence: { grantId: string; records: number; pdfs: number; exportedAt: string; manifestValid: boolean };
}

/** Verifies a scoped bundle; `trustedCaPem` is the CA an auditor holds out of band (else the bundle's own). */
export function verifyEvidenceBundle(bundle: EvidenceBundle, trustedCaPem?: string): EvidenceReport {
  const findings: Finding[] = [];
  const manifestFinding = (detail: string) => findings.push({ stream: '(manifest)', version: 0, kind: 'forged-manifest', detail });
  const m = bundle.manifest;
  const caPem = trustedCaPem ?? bundle.caCertificate;
  if (!m || typeof m !== 'object') throw new Error('the bundle has no manifest');

  // 1. the manifest: issued by our CA, signed by the server key, and binding every section
  // (an altered certificate may not even parse: that is a finding, not a crash)
  if (!safely(() => certIssuedBy(bundle.certificate, caPem))) manifestFinding('the sealing certificate was not issued by the CA');
  if (!safely(() => m.certFingerprint === certFingerprint(bundle.certificate) && verifyWithCert(bundle.certificate, manifestPayload(m), m.signature ?? ''))) {
    manifestFinding('the manifest signature does not verify with the server certificate');
  }
  if (m.format !== bundle.format || m.exportedAt !== bundle.exportedAt || m.grantId !== bundle.grant?.id) manifestFinding('format, export time or grant differ from the signed manifest');
  for (const section of EVIDENCE_SECTIONS) {
    if (sectionHash(bundle[section]) !== m.sha256?.[section]) manifestFinding(`"${section}" does not match the signed manifest: it was changed after export`);
  }

  // 2. every included stream's chain, from version 1
  const events = [...bundle.events].sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : a.version - b.version));
  const chains = verifyAll(events);
  findings.push(...chains.findings);
  const listed = new Map((m.streams ?? []).map((h) => [h.stream, h]));
  for (const [stream, head] of chains.heads) {
    const want = listed.get(stream);
    if (!want) manifestFinding(`stream ${stream} is not listed in the manifest`);
    else if (want.version !== head.version || want.hash !== head.hash) findings.push({ stream, version: want.version, kind: 'deleted', detail: `the manifest lists head version ${want.version}; the bundle ends at ${head.version}` });
  }
  for (const stream of listed.keys()) if (!chains.heads.has(stream)) findings.push({ stream, version: 1, kind: 'deleted', detail: 'the manifest lists this stream; its events are missing' });

  // 3. the checkpoint chain in full (hash, link, signature, Merkle root over all heads), and each
  // head a checkpoint sealed for an included stream is still in its chain with the same hash
  const index = new Map(events.map((e) => [`${e.stream}\u0000${e.version}`, e.hash]));
  const included = (stream: string) => chains.heads.has(stream) || listed.has(stream);
  try {
    findings.push(...verifyCheckpoints(bundle.checkpoints, bundle.certificate, caPem, (s, v) => index.get(`${s}\u0000${v}`), included));
  } catch (err) {
    findings.push({ stream: '(checkpoint)', version: 0, kind: 'forged-checkpoint', detail: `the checkpoints cannot be checked: ${(err as Error).message}` });
  }

  // 4. each PDF is the file whose SHA-256 the ledger recorded when it was generated for that record
  const byStream = new Map<string, LedgerEvent>();
  for (const e of events) if (e.version === 1) byStream.set(e.stream, e);
  for (const p of bundle.pdfs ?? []) {
    const generated = byStream.get(p.exportStream);
    const data = (generated?.data ?? {}) as { sha256?: string; recordStream?: string };
    if (sha256Hex(Buffer.from(p.base64 ?? '', 'base64')) !== p.sha256 || data.sha256 !== p.sha256 || data.recordStream !== p.stream) {
      findings.push({ stream: p.exportStream, version: 1, kind: 'edited', detail: `${p.filename} does not match the SHA-256 the ledger recorded for it` });
    }
  }

  // events appended after the latest checkpoint that covers their stream are chained but not yet sealed
  const sealed = new Map<string, number>();
  for (const c of [...bundle.checkpoints].sort((a, b) => a.seq - b.seq)) for (const h of c.changed) if (included(h.stream)) sealed.set(h.stream, h.version);
  let uncovered = 0;
  for (const [stream, head] of chains.heads) uncovered += Math.max(0, head.version - (sealed.get(stream) ?? 0));

  const deduped = dedupe(findings);
  return {
    ok: deduped.length === 0, streams: chains.streams, events: chains.events, checkpoints: bundle.checkpoints.length, findings: deduped, uncovered,
    evidence: { grantId: String(bundle.grant?.id), records: bundle.records?.length ?? 0, pdfs: bundle.pdfs?.length ?? 0, exportedAt: bundle.exportedAt, manifestValid: !deduped.some((f) => f.kind === 'forged-manifest') },
  };
}

function safely(check: () => boolean): boolean {
  try { return check(); } catch { return false; }
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.stream}\u0000${f.version}\u0000${f.kind}\u0000${f.detail}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
}
