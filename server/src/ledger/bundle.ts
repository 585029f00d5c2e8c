import type { Services } from '../platform/services.ts';
import type { LedgerEvent } from './event.ts';
import type { Checkpoint } from './checkpoints.ts';
import { verifyLedgerContent, type LedgerReport } from './audit.ts';
import {
  EVIDENCE_FORMAT,
  isEvidenceFormat,
  verifyEvidenceBundle,
  type EvidenceBundle,
  type EvidenceReport,
} from './evidenceBundle.ts';
import { nowIso } from '../platform/clock.ts';

export const BUNDLE_FORMAT = 'provenant-ledger-bundle/1';

/** Everything an auditor needs to verify the ledger with no database: events, checkpoints, certificates. */
export interface LedgerBundle {
  format: typeof BUNDLE_FORMAT;
  exportedAt: string;
  certificate: string;
  caCertificate: string;
  checkpoints: Checkpoint[];
  events: LedgerEvent[];
}

export async function buildBundle(s: Services): Promise<LedgerBundle> {
  await s.checkpointer.create(false, true); // seal first, so the bundle's last events are covered
  const checkpoints = await s.checkpointer.all();
  const events = await s.ledger.events.find({}, { projection: { _id: 0 } }).toArray();
  return {
    format: BUNDLE_FORMAT,
    exportedAt: nowIso(),
    certificate: s.signer.certPem,
    caCertificate: s.signer.caCertPem,
    checkpoints,
    events,
  };
}

/**
 * Verifies a bundle offline. The certificate inside is checked against the CA inside; an
 * auditor who holds the CA certificate out of band passes it as `trustedCaPem`, and a checkpoint
 * root saved earlier as `expectRoot`. Event seals are checked with the key the checkpoints certify.
 */
export function verifyBundle(
  bundle: LedgerBundle | EvidenceBundle,
  trustedCaPem?: string,
  expectRoot?: string,
): LedgerReport & { evidence?: EvidenceReport['evidence'] } {
  // the auditor portal's scoped bundle: some streams, their inclusion proofs, a signed manifest
  if (isEvidenceFormat(bundle?.format)) return verifyEvidenceBundle(bundle as EvidenceBundle, trustedCaPem, expectRoot);
  if (bundle?.format !== BUNDLE_FORMAT) throw new Error(`not a ${BUNDLE_FORMAT} or ${EVIDENCE_FORMAT} file`);
  return verifyLedgerContent(
    [...bundle.events],
    (bundle as LedgerBundle).checkpoints,
    bundle.certificate,
    trustedCaPem ?? bundle.caCertificate,
    { expectRoot },
  );
}
