import type { Services } from '../platform/services.ts';
import type { LedgerEvent } from './event.ts';
import type { Checkpoint } from './checkpoints.ts';
import { verifyLedgerContent, type LedgerReport } from './audit.ts';
import { EVIDENCE_FORMAT, verifyEvidenceBundle, type EvidenceBundle, type EvidenceReport } from './evidenceBundle.ts';

export const BUNDLE_FORMAT = 'provenant-ledger-bundle/1';

/** Everything an auditor needs to verify the ledger with no database: events, checkpoints, certificates. */
export interface LedgerBundle {
  format: typeof BUNDLE_FORMAT; exportedAt: string;
  certificate: string; caCertificate: string;
  checkpoints: Checkpoint[]; events: LedgerEvent[];
}

export async function buildBundle(s: Services): Promise<LedgerBundle> {
  await s.checkpointer.create(); // seal first, so the bundle's last events are covered
  const checkpoints = await s.checkpointer.all();
  const events = await s.ledger.events.find({}, { projection: { _id: 0 } }).toArray();
  return { format: BUNDLE_FORMAT, exportedAt: new Date().toISOString(), certificate: s.signer.certPem, caCertificate: s.signer.caCertPem, checkpoints, events };
}

/**
 * Verifies a bundle offline. The certificate inside is checked against the CA inside; an
 * auditor who holds the CA certificate out of band passes it as `trustedCaPem`.
 */
export function verifyBundle(bundle: LedgerBundle | EvidenceBundle, trustedCaPem?: string): LedgerReport & { uncovered: number; evidence?: EvidenceReport['evidence'] } {
  // the auditor portal's scoped bundle: some streams, every checkpoint, a signed manifest
  if (bundle?.format === EVIDENCE_FORMAT) return verifyEvidenceBundle(bundle, trustedCaPem);
  if (bundle?.format !== BUNDLE_FORMAT) throw new Error(`not a ${BUNDLE_FORMAT} or ${EVIDENCE_FORMAT} file`);
  const report = verifyLedgerContent([...bundle.events], bundle.checkpoints, bundle.certificate, trustedCaPem ?? bundle.caCertificate);
  const lastEvents = bundle.checkpoints.at(-1)?.events ?? 0;
  return { ...report, uncovered: Math.max(0, bundle.events.length - lastEvents) };
}
