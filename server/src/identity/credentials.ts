import { createCipheriv, createDecipheriv, createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import { declareIndexes } from '../platform/db/mongo.ts';
import { nowIso } from '../platform/clock.ts';

// Secrets never go on the ledger (it is exported to auditors). They live here, insert-only;
// the ledger records each one's fingerprint, so a credential slipped into this collection
// behind the ledger's back is not accepted.
export interface Credential {
  _id: string;
  userId: string;
  kind: 'password' | 'totp';
  value: string;
  createdAt: string;
}
const COLLECTION = 'credentials';
declareIndexes(COLLECTION, [{ key: { userId: 1, kind: 1, createdAt: 1 }, name: 'user_kind_time' }]);

export const fingerprint = (value: string) => createHash('sha256').update(value).digest('hex');

export class CredentialStore {
  private col: Collection<Credential>;
  private key: Buffer;
  constructor(db: Db, secret: string) {
    this.col = db.collection<Credential>(COLLECTION);
    this.key = createHash('sha256').update(`provenant-totp:${secret}`).digest();
  }

  async add(userId: string, kind: Credential['kind'], value: string): Promise<string> {
    await this.col.insertOne({ _id: randomUUID(), userId, kind, value, createdAt: nowIso() });
    return fingerprint(value);
  }

  /** The latest credential whose fingerprint the ledger vouches for, else null. */
  async current(userId: string, kind: Credential['kind'], expectedFingerprint: string | null): Promise<string | null> {
    if (!expectedFingerprint) return null;
    const all = await this.col.find({ userId, kind }).sort({ createdAt: -1 }).limit(20).toArray();
    return all.find((c) => fingerprint(c.value) === expectedFingerprint)?.value ?? null;
  }

  async history(userId: string, kind: Credential['kind'], n: number): Promise<string[]> {
    return (await this.col.find({ userId, kind }).sort({ createdAt: -1 }).limit(n).toArray()).map((c) => c.value);
  }

  sealTotp(secret: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    const enc = Buffer.concat([c.update(secret, 'utf8'), c.final()]);
    return [iv, c.getAuthTag(), enc].map((b) => b.toString('base64')).join('.');
  }

  openTotp(sealed: string): string {
    const [iv, tag, enc] = sealed.split('.').map((s) => Buffer.from(s, 'base64'));
    const d = createDecipheriv('aes-256-gcm', this.key, iv);
    d.setAuthTag(tag);
    return Buffer.concat([d.update(enc), d.final()]).toString('utf8');
  }
}
