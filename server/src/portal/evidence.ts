import type { Services } from '../platform/services.ts';
import type { SessionUser } from '../identity/sessionUser.ts';
import { canonicalize } from '../ledger/canonical.ts';
import { streamOf } from '../records/registry.ts';
import {
  EVIDENCE_FORMAT,
  EVIDENCE_SECTIONS,
  sectionHash,
  manifestPayload,
  type EvidenceBundle,
  type EvidenceManifest,
  type EvidencePdf,
  type HeadProof,
} from '../ledger/evidenceBundle.ts';
import { presentGrant } from './grants.ts';
import type { GrantDoc } from './grant.record.ts';
import { resolveScope, scopedRecord, type ScopeEntry } from './scope.ts';
import { portalPdf } from './view.ts';
import { nowIso } from '../platform/clock.ts';

/**
 * The evidence bundle of one grant: the sealed PDFs of its work orders (DHRs) and documents
 * (controlled copies) are generated first and a fresh checkpoint seals the ledger; then the
 * events of the in-scope streams (and of the grant itself, whose log includes this download,
 * and of each PDF's export record), the signed body of every checkpoint without the streams it
 * lists, an RFC 9162 inclusion proof of each included head under the latest checkpoint's root,
 * the records as the portal shows them, the PDFs, and a manifest signed by the server key.
 * Nothing in it names a record outside the grant (issue 9, finding 23).
 * `provenant ledger verify --bundle FILE` checks it offline (server/src/ledger/evidenceBundle.ts).
 */
export async function buildEvidenceBundle(s: Services, user: SessionUser, grant: GrantDoc): Promise<EvidenceBundle> {
  const scope = await resolveScope(s, grant);
  const pdfs = await sealedPdfs(s, user, scope.list());
  await s.checkpointer.create();
  const { checkpoint, tree } = await s.checkpointer.sealedTree();
  const checkpoints = (await s.checkpointer.all())
    .filter((c) => c.seq <= checkpoint.seq)
    .map(({ changed: _c, ...body }) => body);
  const streams = [
    ...new Set([...scope.streams(), streamOf('auditgrant', grant._id), ...pdfs.map((p) => p.exportStream)]),
  ];
  const events = (await Promise.all(streams.map((stream) => s.ledger.read(stream)))).flat();
  const proofs: HeadProof[] = streams.flatMap((stream) => {
    const head = tree.head(stream),
      proof = tree.proof(stream);
    return head && proof ? [{ ...head, ...proof, checkpointSeq: checkpoint.seq }] : []; // a stream begun after it: uncovered
  });
  const records = [];
  for (const entry of scope.list()) {
    const record = await scopedRecord(s, entry);
    if (record) records.push({ stream: entry.stream, record });
  }
  const heads = new Map<string, { stream: string; version: number; hash: string }>();
  for (const e of events)
    if ((heads.get(e.stream)?.version ?? 0) < e.version)
      heads.set(e.stream, { stream: e.stream, version: e.version, hash: e.hash });

  const exportedAt = nowIso();
  // a JSON round trip first, so the hashed sections are exactly what the file will hold
  const body = JSON.parse(
    JSON.stringify({
      format: EVIDENCE_FORMAT,
      exportedAt,
      grant: presentGrant(grant),
      scope: scope.list(),
      certificate: s.signer.certPem,
      caCertificate: s.signer.caCertPem,
      checkpoints,
      events,
      proofs,
      records,
      pdfs,
    }),
  ) as Omit<EvidenceBundle, 'manifest'>;
  const unsigned: Omit<EvidenceManifest, 'signature'> = {
    format: EVIDENCE_FORMAT,
    grantId: grant._id,
    exportedAt,
    checkpointSeq: checkpoint.seq,
    certFingerprint: s.signer.fingerprint,
    streams: [...heads.values()].sort((a, b) => (a.stream < b.stream ? -1 : 1)),
    sha256: Object.fromEntries(EVIDENCE_SECTIONS.map((k) => [k, sectionHash(body[k])])) as EvidenceManifest['sha256'],
  };
  const manifest: EvidenceManifest = {
    ...unsigned,
    signature: s.signer.sign(manifestPayload({ ...unsigned, signature: '' })),
  };
  return { ...body, manifest };
}

/** DHRs and controlled copies (other records' audit trails are in the bundle as events already). */
async function sealedPdfs(s: Services, user: SessionUser, entries: ScopeEntry[]): Promise<EvidencePdf[]> {
  const out: EvidencePdf[] = [];
  for (const entry of entries.filter((e) => e.type === 'workorder' || e.type === 'document')) {
    try {
      const g = await portalPdf(s, user, entry);
      out.push({
        stream: entry.stream,
        filename: g.filename,
        sha256: g.sha256,
        exportStream: `export:${g.jobId}`,
        base64: g.pdf.toString('base64'),
      });
    } catch (err) {
      if ((err as { code?: string }).code !== 'PDF_EXPORT_UNAVAILABLE') throw err; // a kind this server lacks: the events still prove the record
    }
  }
  return out;
}

export const bundleFilename = (b: EvidenceBundle) =>
  `provenant-evidence-${b.grant.id.slice(0, 8)}-${b.exportedAt.slice(0, 10)}.json`;
// canonical JSON keeps the download byte-stable for a given content
export const serializeBundle = (b: EvidenceBundle) => canonicalize(b);
