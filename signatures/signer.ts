import { createSign, createVerify, X509Certificate } from 'node:crypto';
import type { ServerIdentity } from './pki.ts';

// One signer interface with swappable providers: the local key today, an HSM later.
export interface Signer {
  readonly certPem: string;
  readonly caCertPem: string;
  readonly fingerprint: string;
  sign(data: string | Buffer): string; // base64 RSA-SHA256
}

export function localKeySigner(id: ServerIdentity): Signer {
  return {
    certPem: id.certPem, caCertPem: id.caCertPem, fingerprint: id.fingerprint,
    sign(data) { return createSign('sha256').update(data).sign(id.keyPem, 'base64'); },
  };
}

/** Verifies a base64 RSA-SHA256 signature against a certificate: works with no database at all. */
export function verifyWithCert(certPem: string, data: string | Buffer, signatureB64: string): boolean {
  try {
    const key = new X509Certificate(certPem).publicKey;
    return createVerify('sha256').update(data).verify(key, signatureB64, 'base64');
  } catch { return false; }
}

/** True when `certPem` was issued by `caCertPem` (the chain an offline verifier checks). */
export function certIssuedBy(certPem: string, caCertPem: string): boolean {
  try { return new X509Certificate(certPem).verify(new X509Certificate(caCertPem).publicKey); } catch { return false; }
}
