import { createHash, createSign, createVerify, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import type { ServerIdentity } from './pki.ts';

// One signer interface with swappable providers: the local key today, an HSM later.
export interface Signer {
  readonly certPem: string;
  readonly caCertPem: string;
  readonly fingerprint: string;
  sign(data: string | Buffer): string; // base64 RSA-SHA256
  /** DER CMS SignedData (PKCS#7, detached, SHA-256) over `data`, carrying the signing and CA certificates. */
  cmsSignDetached(data: Buffer, signingTime?: Date): Buffer;
}

export function localKeySigner(id: ServerIdentity): Signer {
  return {
    certPem: id.certPem,
    caCertPem: id.caCertPem,
    fingerprint: id.fingerprint,
    sign(data) {
      return createSign('sha256').update(data).sign(id.keyPem, 'base64');
    },
    cmsSignDetached(data, signingTime = new Date()) {
      return cmsSignDetached(id, data, signingTime);
    },
  };
}

/**
 * PKCS#7 / CMS SignedData, detached (what PDF's adbe.pkcs7.detached expects): the ASN.1 is built
 * with node-forge, the hashing and the RSA signature use node's native crypto (forge's pure-JS
 * hashing and RSA took ~100 ms per sealed PDF). Signed attributes: contentType, messageDigest,
 * signingTime, in DER (sorted) order. Carries the signing and the CA certificate.
 */
const { asn1 } = forge;
const seq = (v: forge.asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, v);
const set = (v: forge.asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, v);
const oid = (o: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(o).getBytes());
const octets = (b: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, b);
const int = (hex: string) =>
  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, forge.util.hexToBytes(hex.length % 2 ? `0${hex}` : hex));
const NULL = () => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '');
const algo = (o: string) => seq([oid(o), NULL()]);
const der = (a: forge.asn1.Asn1) => asn1.toDer(a).getBytes();

const cmsParts = new WeakMap<ServerIdentity, { certs: forge.asn1.Asn1[]; issuerAndSerial: forge.asn1.Asn1 }>();
function partsOf(id: ServerIdentity) {
  let p = cmsParts.get(id);
  if (!p) {
    const cert = forge.pki.certificateFromPem(id.certPem);
    const serial = cert.serialNumber.replace(/^(?=[89a-f])/i, '00'); // a positive INTEGER
    p = {
      certs: [
        forge.pki.certificateToAsn1(cert),
        forge.pki.certificateToAsn1(forge.pki.certificateFromPem(id.caCertPem)),
      ],
      issuerAndSerial: seq([forge.pki.distinguishedNameToAsn1(cert.issuer), int(serial)]),
    };
    cmsParts.set(id, p);
  }
  return p;
}

function cmsSignDetached(id: ServerIdentity, data: Buffer, signingTime: Date): Buffer {
  const { oids } = forge.pki;
  const { certs, issuerAndSerial } = partsOf(id);
  const digest = createHash('sha256').update(data).digest('binary');
  const attrs = [
    seq([oid(oids.contentType), set([oid(oids.data)])]),
    seq([oid(oids.messageDigest), set([octets(digest)])]),
    seq([
      oid(oids.signingTime),
      set([asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(signingTime))]),
    ]),
  ]
    .map(der)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((b) => asn1.fromDer(b));
  // the signature is over the DER of the attributes as a SET; in SignerInfo they are [0] IMPLICIT
  const signature = createSign('sha256')
    .update(Buffer.from(der(set(attrs)), 'binary'))
    .sign(id.keyPem)
    .toString('binary');
  const signerInfo = seq([
    int('01'),
    issuerAndSerial,
    algo(oids.sha256),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, attrs),
    algo(oids.rsaEncryption),
    octets(signature),
  ]);
  const signedData = seq([
    int('01'),
    set([algo(oids.sha256)]),
    seq([oid(oids.data)]),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, certs),
    set([signerInfo]),
  ]);
  const contentInfo = seq([oid(oids.signedData), asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [signedData])]);
  return Buffer.from(der(contentInfo), 'binary');
}

/** Verifies a base64 RSA-SHA256 signature against a certificate: works with no database at all. */
export function verifyWithCert(certPem: string, data: string | Buffer, signatureB64: string): boolean {
  try {
    const key = new X509Certificate(certPem).publicKey;
    return createVerify('sha256').update(data).verify(key, signatureB64, 'base64');
  } catch {
    return false;
  }
}

/** True when `certPem` was issued by `caCertPem` (the chain an offline verifier checks). */
export function certIssuedBy(certPem: string, caCertPem: string): boolean {
  try {
    return new X509Certificate(certPem).verify(new X509Certificate(caCertPem).publicKey);
  } catch {
    return false;
  }
}
