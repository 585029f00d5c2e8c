import { GENESIS_HASH } from './event.ts';
import type { StreamHead } from './merkle.ts';
import { changedHash, checkpointHash, rootOf, type CheckpointBody } from './checkpoints.ts';
import type { Finding } from './verify.ts';
import { certFingerprint } from '../../../signatures/pki.ts';
import { certIssuedBy, verifyWithCert } from '../../../signatures/signer.ts';

export interface CheckpointCheck {
  findings: Finding[];
  /** Every stream's head as the checkpoints sealed it (what a later event count is "covered" against). */
  sealed: Map<string, StreamHead>;
  /** Streams sealed by checkpoints written before events carried seals (no `sealKey`): the version they reached. */
  legacy: Map<string, number>;
  /** The event seal key the signed checkpoints certify (undefined when none does). */
  sealKey?: string;
}

/**
 * Checks the checkpoint chain (numbering, link, hash, signature, the certified seal key, the
 * Merkle root) and that every head a checkpoint committed to is still in the ledger with the same
 * hash. `eventHash(stream, version)` looks an event up in whatever holds the events (database or
 * bundle); `included` limits that check to the streams a scoped (evidence) bundle carries. A
 * scoped bundle's checkpoints carry no list of changed heads: their root is then proved per
 * stream by inclusion proofs (evidenceBundle.ts) instead of recomputed here.
 */
export function verifyCheckpoints(
  checkpoints: CheckpointBody[],
  certPem: string,
  caCertPem: string,
  eventHash: (stream: string, version: number) => string | undefined,
  included: (stream: string) => boolean = () => true,
): CheckpointCheck {
  const findings: Finding[] = [];
  const forged = (c: CheckpointBody, detail: string) =>
    findings.push({ stream: '(checkpoint)', version: c.seq, kind: 'forged-checkpoint', detail });
  const certOk = certIssuedBy(certPem, caCertPem);
  const fingerprint = certFingerprint(certPem);
  const sealed = new Map<string, StreamHead>();
  const legacy = new Map<string, number>();
  let sealKey: string | undefined;
  let complete = true; // every checkpoint so far listed its changed heads, so roots can be recomputed
  let prevHash = GENESIS_HASH;
  const sorted = [...checkpoints].sort((a, b) => a.seq - b.seq);
  sorted.forEach((c, i) => {
    if (c.seq !== i + 1) forged(c, `sequence gap: expected checkpoint ${i + 1}`);
    if (c.prevHash !== prevHash) forged(c, 'does not link to the previous checkpoint');
    if (checkpointHash(c) !== c.hash) forged(c, 'content does not match its hash');
    if (!certOk) forged(c, 'the sealing certificate was not issued by the CA');
    if (c.certFingerprint !== fingerprint || !verifyWithCert(certPem, c.hash, c.signature))
      forged(c, 'signature does not verify with the server certificate');
    if (c.format === 2 && c.changed && changedHash(c.changed) !== c.changedHash)
      forged(c, 'the list of changed heads does not match its signed hash');
    if (c.sealKey && sealKey && c.sealKey !== sealKey)
      forged(c, 'certifies a different event seal key than the checkpoints before it');
    else if (!c.sealKey && sealKey) forged(c, 'certifies no event seal key, after checkpoints that did');
    sealKey ??= c.sealKey;
    complete &&= Array.isArray(c.changed);
    for (const h of c.changed ?? []) {
      sealed.set(h.stream, h);
      if (!c.sealKey) legacy.set(h.stream, h.version); // sealed before events carried seals
    }
    if (complete && rootOf(c, [...sealed.values()]) !== c.root)
      forged(c, 'Merkle root does not match the heads it lists');
    findings.push(...sealedHeadFindings(c, eventHash, included));
    prevHash = c.hash;
  });
  return { findings, sealed, legacy, sealKey };
}

/** Each head checkpoint `c` sealed (of the streams `included`) must still be in the ledger with the same hash. */
export function sealedHeadFindings(
  c: Pick<CheckpointBody, 'seq' | 'changed'>,
  eventHash: (stream: string, version: number) => string | undefined,
  included: (stream: string) => boolean = () => true,
  by = `checkpoint ${c.seq}`,
): Finding[] {
  const findings: Finding[] = [];
  for (const h of c.changed ?? []) {
    if (!included(h.stream)) continue; // a scoped bundle carries only some streams' events
    const actual = eventHash(h.stream, h.version);
    if (actual === undefined)
      findings.push({
        stream: h.stream,
        version: h.version,
        kind: 'deleted',
        detail: `${by} sealed this version; it is gone`,
      });
    else if (actual !== h.hash)
      findings.push({
        stream: h.stream,
        version: h.version,
        kind: 'checkpoint-mismatch',
        detail: `differs from what ${by} sealed: the stream was rewritten up to here`,
      });
  }
  return findings;
}

/** The checkpoint an auditor saved (its root or its hash) must be in the verified chain. */
export function expectRootFinding(checkpoints: CheckpointBody[], expected: string | undefined): Finding[] {
  if (!expected) return [];
  const want = expected.trim().toLowerCase();
  if (checkpoints.some((c) => c.root === want || c.hash === want)) return [];
  return [
    {
      stream: '(checkpoint)',
      version: 0,
      kind: 'expected-root-missing',
      detail: `no checkpoint has the expected root or hash ${want}: the ledger it sealed was rewritten, or it is another ledger's`,
    },
  ];
}

/** Events appended after the checkpoint that last sealed their stream: chained (and sealed) but not yet covered. */
export function uncoveredEvents(
  heads: Iterable<{ stream: string; version: number }>,
  sealed: Map<string, StreamHead>,
): number {
  let n = 0;
  for (const h of heads) n += Math.max(0, h.version - (sealed.get(h.stream)?.version ?? 0));
  return n;
}
