import { createVerify, X509Certificate, type KeyObject } from 'node:crypto';
import type { LedgerEvent } from '../../server/src/ledger/event.ts';
// The two run-time imports from the server, both leaves of the ledger: a signature binds the
// SHA-256 of the RFC 8785 canonical JSON the ledger itself hashes, so the bytes must come from
// the ledger's one definition (a second copy could drift and break every old signature).
import { sha256Hex } from '../../server/src/ledger/event.ts';
import { canonicalize } from '../../server/src/ledger/canonical.ts';

// What a signature event is, and whether it may count on a record. Reducers are pure, so the one
// outside fact they need (the server certificates whose seals are genuine) is registered here at
// boot; given the same certificates, every replay counts the same signatures.
export const SIGNATURE_EVENT = 'signature.applied';

export interface SignatureData extends Record<string, unknown> {
  signatureId: string;
  stream: string;
  meaning: string;
  signer: { id: string; name: string; username: string };
  signedAt: string;
  recordVersion: number;
  contentHash: string;
  reason?: string;
  /** Signed by a delegate for the person whose task it is (issue 15 item 6): sealed with the rest. */
  onBehalfOf?: { id: string; name: string; delegationId: string };
  serverSignature: string;
  certFingerprint: string;
}

/** The bytes the server key signs: binding signer, meaning, time, record and content (11.70). */
export function signedPayload(d: Omit<SignatureData, 'serverSignature' | 'certFingerprint'>): string {
  const { signatureId, stream, meaning, signer, signedAt, recordVersion, contentHash, reason, onBehalfOf } = d;
  return canonicalize({
    signatureId,
    stream,
    meaning,
    signer,
    signedAt,
    recordVersion,
    contentHash,
    reason,
    onBehalfOf,
  });
}

const sealKeys = new Map<string, KeyObject>(); // certificate fingerprint → public key

/** Makes a server certificate's seals acceptable to the reducers (called at boot, before any replay). */
export function registerSealCertificate(certPem: string, fingerprint: string): void {
  if (!sealKeys.has(fingerprint)) sealKeys.set(fingerprint, new X509Certificate(certPem).publicKey);
}

/** True when the seal verifies against the registered certificate the signature names. */
export function sealVerifies(d: SignatureData): boolean {
  if (sealKeys.size === 0) throw new Error('no server certificate registered for signature seals');
  const key = typeof d.certFingerprint === 'string' ? sealKeys.get(d.certFingerprint) : undefined;
  if (!key || typeof d.serverSignature !== 'string') return false;
  try {
    return createVerify('sha256').update(signedPayload(d)).verify(key, d.serverSignature, 'base64');
  } catch {
    return false;
  }
}

export const contentHashOf = (content: unknown) => sha256Hex(canonicalize(content));

/** The signature events among a stream's events. */
export const signatureEvents = (events: LedgerEvent[]) =>
  events.filter((e) => e.type === SIGNATURE_EVENT) as unknown as LedgerEvent<SignatureData>[];

/**
 * Whether a signature event counts on its record (21 CFR 11.70: a signature cannot be cut and
 * pasted onto another record): it names this stream, its seal verifies, and it binds the content
 * the record had just before it (signRecord appends only when the head's content is the content
 * signed). A signature that fails any of these changes nothing in the record's state; the
 * signatures view and `ledger verify` name it. Whether the signer was active and authorized is
 * attested by the seal (the server seals only after checkCredentials and the record's policy)
 * and re-checked against the signer's account history by verifySignature.
 */
export function signatureCounts<S>(before: S | undefined, e: LedgerEvent, content: (s: S) => unknown): boolean {
  const d = e.data as SignatureData;
  if (!before || !d || d.stream !== e.stream) return false;
  if (!sealVerifies(d)) return false;
  return contentHashOf(content(before)) === d.contentHash;
}
