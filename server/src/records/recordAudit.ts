import type { Services } from '../platform/services.ts';
import type { LedgerEvent } from '../ledger/event.ts';
import type { Finding } from '../ledger/verify.ts';
import { SIGNATURE_EVENT, verifySignaturesOf, type SignatureData, type SignerHistories } from './signing.ts';
import { checkProjections } from './projectionCheck.ts';

export interface RecordChecks {
  findings: Finding[];
  signatures: number;
  projections: number;
  projectionMs: number;
}

/**
 * What `ledger verify` checks beyond hash chains, seals and checkpoints, on the events it already
 * loaded: every e-signature (seal, record binding, content hash, signer active and authorized at
 * the time; 21 CFR 11.70) and every projection against a replay of its stream.
 */
export async function checkRecords(s: Services, events: LedgerEvent[]): Promise<RecordChecks> {
  const byStream = new Map<string, LedgerEvent[]>();
  for (const e of events) {
    const list = byStream.get(e.stream);
    if (list) list.push(e);
    else byStream.set(e.stream, [e]);
  }
  const { findings, signatures } = checkSignatures(s, byStream);
  const projections = await checkProjections(s, { events, live: true });
  return {
    findings: [...findings, ...projections.findings],
    signatures,
    projections: projections.streams,
    projectionMs: projections.ms,
  };
}

function checkSignatures(
  s: Services,
  byStream: Map<string, LedgerEvent[]>,
): { findings: Finding[]; signatures: number } {
  // each signer's account history, for "active and authorized when signing"
  const signers: SignerHistories = new Map();
  for (const [stream, list] of byStream)
    if (stream.startsWith('user:'))
      signers.set(
        stream.slice(5),
        [...list].sort((a, b) => a.version - b.version),
      );
  const findings: Finding[] = [];
  let signatures = 0;
  for (const [stream, list] of byStream) {
    const sigs = list.filter((e) => e.type === SIGNATURE_EVENT) as unknown as LedgerEvent<SignatureData>[];
    if (!sigs.length) continue;
    signatures += sigs.length;
    let checked: Array<{ e: LedgerEvent<SignatureData>; problems: string[] }>;
    try {
      checked = checkEach(s, stream, list, sigs, signers);
    } catch (err) {
      findings.push({
        stream,
        version: sigs[0].version,
        kind: 'invalid-signature',
        detail: `the signatures of this record cannot be checked: ${(err as Error).message}`,
      });
      continue;
    }
    for (const { e, problems } of checked) {
      if (!problems.length) continue;
      const d = e.data ?? ({} as SignatureData);
      findings.push({
        stream,
        version: e.version,
        kind: 'invalid-signature',
        detail: `"${d.meaning}" signature by ${d.signer?.name ?? 'unknown'} (${d.signatureId}): ${problems.join('; ')}`,
      });
    }
  }
  return { findings, signatures };
}

/**
 * The problems of each signature event. Checks are keyed by signature id, so a copy of a
 * signature on its own record (same id) would hide the original's result behind the copy's:
 * each occurrence is judged on the stream up to the next one, and a repeat is itself a problem.
 */
function checkEach(
  s: Services,
  stream: string,
  list: LedgerEvent[],
  sigs: LedgerEvent<SignatureData>[],
  signers: SignerHistories,
) {
  const sorted = [...list].sort((a, b) => a.version - b.version);
  const full = verifySignaturesOf(s, stream, sorted, signers);
  const firstAt = new Map<string, number>();
  return sigs.map((e) => {
    const id = e.data?.signatureId;
    const next = sigs.find((x) => x.version > e.version && x.data?.signatureId === id);
    const check = next
      ? verifySignaturesOf(
          s,
          stream,
          sorted.filter((x) => x.version < next.version),
          signers,
        ).get(id)
      : full.get(id);
    const problems = [...(check?.problems ?? (check ? [] : ['not found among the checks']))];
    const seen = firstAt.get(id);
    if (seen !== undefined) problems.push(`the same signature already appears at version ${seen}`);
    else firstAt.set(id, e.version);
    return { e, problems };
  });
}
