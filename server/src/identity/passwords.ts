import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { AppError } from '../platform/errors.ts';

const scrypt = (pw: string, salt: Buffer, len: number, opts: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(pw, salt, len, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );

// scrypt N=2^15, r=8, p=1: ~50 ms per hash here, memory-hard. Format: scrypt$N$r$p$salt$key (base64).
const PARAMS = { N: 1 << 15, r: 8, p: 1, maxmem: 256 * 1024 * 1024 };

/** Set once at boot from PASSWORD_HASH_COST (tests lower it; production keeps 2^15 or more). */
export function setPasswordHashCost(log2N: number) {
  PARAMS.N = 1 << log2N;
}
export const MIN_PASSWORD_LENGTH = 12;
export const PASSWORD_HISTORY = 5;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 32, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt') return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
    N: +n,
    r: +r,
    p: +p,
    maxmem: PARAMS.maxmem,
  });
  return timingSafeEqual(actual, expected);
}

let decoy: { n: number; hash: Promise<string> } | null = null;
/**
 * A hash at the current cost that nobody knows the password of. Verifying against it makes a
 * sign-in with an unknown user name (or an account without a password) cost the same scrypt
 * work as a wrong password, so response times do not tell which user names exist.
 */
export function decoyHash(): Promise<string> {
  if (!decoy || decoy.n !== PARAMS.N) decoy = { n: PARAMS.N, hash: hashPassword(randomBytes(32).toString('base64')) };
  return decoy.hash;
}

export function assertPasswordStrength(password: string) {
  if (password.length < MIN_PASSWORD_LENGTH) throw new AppError('PASSWORD_TOO_SHORT', { min: MIN_PASSWORD_LENGTH });
}

/** Refuses a password equal to any of the last five. */
export async function assertNotReused(password: string, history: string[]) {
  for (const old of history.slice(-PASSWORD_HISTORY)) {
    if (await verifyPassword(password, old)) throw new AppError('PASSWORD_REUSED', { count: PASSWORD_HISTORY });
  }
}
