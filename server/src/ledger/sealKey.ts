import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  scryptSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { nowIso } from '../platform/clock.ts';

// Every event carries the server's seal: an Ed25519 signature over its hash, by a key that lives
// in a file OUTSIDE the database (encrypted with a key derived from PROVENANT_SECRET). Someone who
// can write the database but not read that file and the secret cannot forge an event, recompute
// a chain, or move an event to another record without the seal failing (issue 9, finding 16).
// Ed25519 because it is fast (tens of µs per seal, so appends stay cheap) and public-key: an
// offline verifier checks seals with the public key that every signed checkpoint certifies.
export const SEAL_KEY_FORMAT = 'provenant-seal-key/1';
// domain separation: a seal can never be mistaken for a signature over anything else
const SEAL_CONTEXT = Buffer.from('provenant ledger event seal v1\u0000');

export interface EventSealer {
  /** The public key, base64url of the raw 32 bytes (the JWK `x` of an OKP/Ed25519 key). */
  readonly publicKey: string;
  seal(hash: string): string;
}

interface SealKeyFile {
  format: string;
  publicKey: string;
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  iv: string;
  tag: string;
  ciphertext: string;
  createdAt: string;
}

export class SealKeyError extends Error {}

const KDF = { N: 1 << 15, r: 8, p: 1 };
const derive = (secret: string, salt: Buffer, kdf = KDF) =>
  scryptSync(secret, salt, 32, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r });

export function sealBytes(hash: string): Buffer {
  return Buffer.concat([SEAL_CONTEXT, Buffer.from(hash, 'utf8')]);
}

function sealerOf(privateKey: KeyObject): EventSealer {
  const publicKey = createPublicKey(privateKey).export({ format: 'jwk' }).x!;
  return { publicKey, seal: (hash) => sign(null, sealBytes(hash), privateKey).toString('base64') };
}

const publicKeys = new Map<string, KeyObject | null>();
function publicKeyOf(x: string): KeyObject | null {
  let k = publicKeys.get(x);
  if (k === undefined) {
    try {
      k = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
    } catch {
      k = null;
    }
    publicKeys.set(x, k);
  }
  return k;
}

/** True when `seal` is the seal of `hash` by the key `publicKey` (base64url raw Ed25519). Needs no database. */
export function verifySeal(publicKey: string, hash: string, seal: unknown): boolean {
  const key = publicKeyOf(publicKey);
  if (!key || typeof seal !== 'string' || typeof hash !== 'string') return false;
  try {
    return verify(null, sealBytes(hash), key, Buffer.from(seal, 'base64'));
  } catch {
    return false;
  }
}

/**
 * Loads the seal key from `file`, or creates it when `mayCreate()` says the ledger holds nothing a
 * lost key would orphan. A missing or undecryptable key with events in the ledger is refused:
 * a server that sealed with a new key would make every earlier event unverifiable.
 */
export async function loadOrCreateSealKey(
  file: string,
  secret: string,
  mayCreate: () => Promise<boolean>,
): Promise<EventSealer> {
  if (!existsSync(file)) {
    if (!(await mayCreate())) {
      throw new SealKeyError(
        `The ledger seal key file ${file} is missing, and the ledger already holds sealed events. ` +
          'Restore that file (every server sharing the database must use the same one, set LEDGER_SEAL_KEY_FILE) and start again.',
      );
    }
    createSealKeyFile(file, secret);
  }
  return readSealKeyFile(file, secret);
}

function createSealKeyFile(file: string, secret: string) {
  const { privateKey } = generateKeyPairSync('ed25519');
  const salt = randomBytes(16),
    iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', derive(secret, salt), iv);
  const ciphertext = Buffer.concat([
    cipher.update(privateKey.export({ format: 'der', type: 'pkcs8' })),
    cipher.final(),
  ]);
  const body: SealKeyFile = {
    format: SEAL_KEY_FORMAT,
    publicKey: createPublicKey(privateKey).export({ format: 'jwk' }).x!,
    kdf: { name: 'scrypt', ...KDF, salt: salt.toString('base64') },
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
    createdAt: nowIso(),
  };
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; // two servers starting at once: the first file wins
  }
}

function readSealKeyFile(file: string, secret: string): EventSealer {
  let body: SealKeyFile;
  try {
    body = JSON.parse(readFileSync(file, 'utf8')) as SealKeyFile;
  } catch (err) {
    throw new SealKeyError(`The ledger seal key file ${file} cannot be read: ${(err as Error).message}`);
  }
  try {
    if (body.format !== SEAL_KEY_FORMAT) throw new Error(`not a ${SEAL_KEY_FORMAT} file`);
    const decipher = createDecipheriv(
      'aes-256-gcm',
      derive(secret, Buffer.from(body.kdf.salt, 'base64'), body.kdf),
      Buffer.from(body.iv, 'base64'),
    );
    decipher.setAuthTag(Buffer.from(body.tag, 'base64'));
    const der = Buffer.concat([decipher.update(Buffer.from(body.ciphertext, 'base64')), decipher.final()]);
    const sealer = sealerOf(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
    if (sealer.publicKey !== body.publicKey)
      throw new Error('the public key in the file does not belong to its private key');
    return sealer;
  } catch (err) {
    throw new SealKeyError(
      `The ledger seal key file ${file} does not decrypt with PROVENANT_SECRET (was the secret changed, or the file replaced?): ${(err as Error).message}`,
    );
  }
}
