import { GENESIS_HASH } from './event.ts';
import { merkleRoot, type StreamHead } from './merkle.ts';
import { checkpointHash, type Checkpoint } from './checkpoints.ts';
import type { Finding } from './verify.ts';
import { certFingerprint } from '../../../signatures/pki.ts';
import { certIssuedBy, verifyWithCert } from '../../../signatures/signer.ts';

/**
 * Checks the checkpoint chain (hash, link, signature, Merkle root) and that every head a
 * checkpoint committed to is still in the ledger with the same hash. `eventHash(stream, version)`
 * looks an event up in whatever holds the events (database or bundle); `included` limits that
 * check to the streams a scoped (evidence) bundle carries, while the chain, signatures and Merkle
 * roots are still checked in full.
 */
export function verifyCheckpoints(checkpoints: Checkpoint[], certPem: string, caCertPem: string,
  eventHash: (stream: string, version: number) => string | undefined, included: (stream: string) => boolean = () => true): Finding[] {
  const findings: Finding[] = [];
  const forged = (c: Checkpoint, detail: string) => findings.push({ stream: '(checkpoint)', version: c.seq, kind: 'forged-checkpoint', detail });
  const certOk = certIssuedBy(certPem, caCertPem);
  const fingerprint = certFingerprint(certPem);
  const heads = new Map<string, StreamHead>();
  let prevHash = GENESIS_HASH;
  const sorted = [...checkpoints].sort((a, b) => a.seq - b.seq);
  sorted.forEach((c, i) => {
    if (c.seq !== i + 1) forged(c, `sequence gap: expected checkpoint ${i + 1}`);
    if (c.prevHash !== prevHash) forged(c, 'does not link to the previous checkpoint');
    const recomputed = checkpointHash(c);
    if (recomputed !== c.hash) forged(c, 'content does not match its hash');
    if (!certOk) forged(c, 'the sealing certificate was not issued by the CA');
    if (c.certFingerprint !== fingerprint || !verifyWithCert(certPem, c.hash, c.signature)) forged(c, 'signature does not verify with the server certificate');
    for (const h of c.changed) heads.set(h.stream, h);
    if (merkleRoot([...heads.values()]) !== c.root) forged(c, 'Merkle root does not match the heads it lists');
    for (const h of c.changed) {
      if (!included(h.stream)) continue; // a scoped bundle carries only some streams' events
      const actual = eventHash(h.stream, h.version);
      if (actual === undefined) findings.push({ stream: h.stream, version: h.version, kind: 'deleted', detail: `checkpoint ${c.seq} sealed this version; it is gone` });
      else if (actual !== h.hash) findings.push({ stream: h.stream, version: h.version, kind: 'checkpoint-mismatch', detail: `differs from what checkpoint ${c.seq} sealed: the stream was rewritten up to here` });
    }
    prevHash = c.hash;
  });
  return findings;
}
