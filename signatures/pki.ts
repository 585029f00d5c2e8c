import { generateKeyPairSync, createHash } from 'node:crypto';
import forge from 'node-forge';
import type { Db } from 'mongodb';

// The server's PKI: a CA and a server certificate generated at first start (node-forge), the
// private keys stored in the database encrypted with a key derived from PROVENANT_SECRET, so a
// copy of the database alone cannot sign anything.
export interface PkiMaterial {
  caCertPem: string;
  certPem: string;
  encryptedKeyPem: string;
  encryptedCaKeyPem: string;
  createdAt: string;
}
export interface ServerIdentity {
  caCertPem: string;
  certPem: string;
  keyPem: string;
  fingerprint: string;
}

const COLLECTION = 'pki';

function newRsaKeyPem(): { publicKey: forge.pki.rsa.PublicKey; privateKey: forge.pki.rsa.PrivateKey } {
  // node's native generator: forge's pure-JS RSA keygen takes seconds.
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const priv = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
  return { privateKey: priv, publicKey: forge.pki.setRsaPublicKey(priv.n, priv.e) };
}

function makeCert(opts: {
  subjectCN: string;
  issuer?: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey };
  keys: ReturnType<typeof newRsaKeyPem>;
  ca: boolean;
  years: number;
}) {
  const cert = forge.pki.createCertificate();
  cert.publicKey = opts.keys.publicKey;
  cert.serialNumber = '01' + forge.util.bytesToHex(forge.random.getBytesSync(15));
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + opts.years * 365 * 24 * 3600_000);
  const subject = [
    { name: 'commonName', value: opts.subjectCN },
    { name: 'organizationName', value: 'Provenant' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(opts.issuer ? opts.issuer.cert.subject.attributes : subject);
  cert.setExtensions(
    opts.ca
      ? [
          { name: 'basicConstraints', cA: true, critical: true },
          { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
          { name: 'subjectKeyIdentifier' },
        ]
      : [
          { name: 'basicConstraints', cA: false },
          { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
          { name: 'extKeyUsage', emailProtection: true, codeSigning: true },
          { name: 'subjectKeyIdentifier' },
        ],
  );
  cert.sign(opts.issuer ? opts.issuer.key : opts.keys.privateKey, forge.md.sha256.create());
  return cert;
}

export function generatePki(secret: string, orgName = 'Provenant'): PkiMaterial {
  const caKeys = newRsaKeyPem();
  const caCert = makeCert({ subjectCN: `${orgName} Root CA`, keys: caKeys, ca: true, years: 20 });
  const keys = newRsaKeyPem();
  const cert = makeCert({
    subjectCN: `${orgName} Records Seal`,
    keys,
    ca: false,
    years: 10,
    issuer: { cert: caCert, key: caKeys.privateKey },
  });
  const enc = (k: forge.pki.rsa.PrivateKey) => forge.pki.encryptRsaPrivateKey(k, secret, { algorithm: 'aes256' });
  return {
    caCertPem: forge.pki.certificateToPem(caCert),
    certPem: forge.pki.certificateToPem(cert),
    encryptedKeyPem: enc(keys.privateKey),
    encryptedCaKeyPem: enc(caKeys.privateKey),
    createdAt: new Date().toISOString(),
  };
}

export function unlockPki(material: PkiMaterial, secret: string): ServerIdentity {
  const key = forge.pki.decryptRsaPrivateKey(material.encryptedKeyPem, secret);
  if (!key) throw new Error('PROVENANT_SECRET does not decrypt the server signing key (was it changed?)');
  return {
    caCertPem: material.caCertPem,
    certPem: material.certPem,
    keyPem: forge.pki.privateKeyToPem(key),
    fingerprint: certFingerprint(material.certPem),
  };
}

export function certFingerprint(certPem: string): string {
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(forge.pki.certificateFromPem(certPem))).getBytes();
  return createHash('sha256').update(Buffer.from(der, 'binary')).digest('hex');
}

/** Loads the server identity, generating it on first start. Concurrent first starts: one insert wins. */
export async function loadOrCreateIdentity(db: Db, secret: string): Promise<ServerIdentity> {
  const col = db.collection<PkiMaterial & { _id: string }>(COLLECTION);
  let doc = await col.findOne({ _id: 'server' });
  if (!doc) {
    try {
      await col.insertOne({ _id: 'server', ...generatePki(secret) });
    } catch {
      /* another process won */
    }
    doc = await col.findOne({ _id: 'server' });
  }
  if (!doc) throw new Error('could not create the server PKI');
  return unlockPki(doc, secret);
}
