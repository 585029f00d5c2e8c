import { createHash, randomBytes } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import { declareIndexes } from '../platform/db/mongo.ts';
import { nowIso } from '../platform/clock.ts';
import { AuthCache, sessionKey, userKey } from './authCache.ts';

// Browser sessions and API tokens. Only SHA-256 digests of the bearer secrets are stored, so a
// database copy cannot be replayed as a login. Session rows are operational state (last seen,
// ended); the auth events themselves are on the user's ledger stream.
export interface SessionRow {
  _id: string;
  userId: string;
  csrf: string;
  createdAt: number;
  lastSeenAt: number;
  endedAt?: number;
  endReason?: string;
}
export interface TokenRow {
  _id: string;
  tokenId: string;
  userId: string;
  name: string;
  createdAt: string;
  lastUsedAt?: string;
  revokedAt?: string;
}

declareIndexes('sessions', [{ key: { userId: 1 }, name: 'user' }]);
declareIndexes('api_tokens', [
  { key: { userId: 1 }, name: 'user' },
  { key: { tokenId: 1 }, name: 'tokenId', unique: true },
]);

export const digest = (secret: string) => createHash('sha256').update(secret).digest('hex');
const secret = (prefix: string) => prefix + randomBytes(32).toString('base64url');

export class SessionStore {
  readonly sessions: Collection<SessionRow>;
  readonly tokens: Collection<TokenRow>;
  /** Sessions, tokens and users by _id, kept in step with every server's auth changes (authCache.ts). */
  readonly cache: AuthCache;
  constructor(
    db: Db,
    private idleMs: number,
  ) {
    this.sessions = db.collection<SessionRow>('sessions');
    this.tokens = db.collection<TokenRow>('api_tokens');
    this.cache = new AuthCache(db);
  }

  async open(userId: string): Promise<{ token: string; csrf: string; id: string }> {
    const token = secret('pvs_');
    const csrf = randomBytes(24).toString('base64url');
    const now = Date.now();
    const id = digest(token);
    const row = { _id: id, userId, csrf, createdAt: now, lastSeenAt: now };
    await this.sessions.insertOne({ ...row });
    this.cache.putSession(row);
    return { token, csrf, id };
  }

  /**
   * How stale the stored `lastSeenAt` may get before a request writes it again: 60 s, or a tenth
   * of the idle timeout when that is shorter. Writing it on every request cost one database update
   * per request (issue 14 item 6). The stored value is never later than the true last request, so
   * the idle check errs on the safe side: a session ends after at most the configured idle time
   * (21 CFR 11.10(d), limiting access) and at the earliest `granularity` before it (≤ 60 s of 30 min).
   */
  get granularityMs() {
    return Math.min(60_000, Math.floor(this.idleMs / 10));
  }

  /**
   * The session for a cookie value, `expired` when idle too long (which ends it). Read from the
   * cache (no engine round trip); the cached `lastSeenAt` is the stored one, written back at the
   * same granularity as without the cache, so the idle rule is unchanged. Before ending a session
   * for idleness the row is re-read: another server serving it may have written a later lastSeenAt.
   */
  async touch(token: string): Promise<{ row: SessionRow; expired: boolean } | null> {
    const id = digest(token);
    let row = await this.cache.session(this.sessions, id);
    if (!row || row.endedAt) return null;
    const now = Date.now();
    if (now - row.lastSeenAt > this.idleMs) {
      const generation = this.cache.generation;
      row = await this.sessions.findOne({ _id: id });
      if (!row || row.endedAt) return null;
      this.cache.putSession(row, generation);
      if (now - row.lastSeenAt > this.idleMs) {
        await this.end(row._id, 'idle-timeout');
        return { row, expired: true };
      }
    }
    if (now - row.lastSeenAt >= this.granularityMs) {
      await this.sessions.updateOne({ _id: row._id }, { $set: { lastSeenAt: now } });
      row.lastSeenAt = Math.max(row.lastSeenAt, now); // the cached row: what is stored now
    }
    return { row, expired: false };
  }

  async end(id: string, reason: string) {
    await this.sessions.updateOne(
      { _id: id, endedAt: { $exists: false } },
      { $set: { endedAt: Date.now(), endReason: reason } },
    );
    await this.cache.changed(sessionKey(id));
  }

  /** Ends every open session of the user except `keep` (the caller's own); returns how many ended. */
  async endAllFor(userId: string, reason: string, keep?: string): Promise<number> {
    const filter = { userId, endedAt: { $exists: false }, ...(keep ? { _id: { $ne: keep } } : {}) };
    const r = await this.sessions.updateMany(filter, { $set: { endedAt: Date.now(), endReason: reason } });
    await this.cache.changed(userKey(userId));
    return r.modifiedCount;
  }

  /** Revokes every API token of the user still in force; returns their ids (for the ledger). */
  async revokeAllTokens(userId: string): Promise<string[]> {
    const live = await this.tokens.find({ userId, revokedAt: { $exists: false } }).toArray();
    const revoked: string[] = [];
    for (const t of live) if (await this.revokeToken(userId, t.tokenId)) revoked.push(t.tokenId);
    return revoked;
  }

  async createToken(userId: string, tokenId: string, name: string): Promise<string> {
    const token = secret('pvt_');
    await this.tokens.insertOne({ _id: digest(token), tokenId, userId, name, createdAt: nowIso() });
    return token;
  }

  async findToken(token: string): Promise<TokenRow | null> {
    const row = await this.cache.token(this.tokens, digest(token));
    if (!row || row.revokedAt) return null;
    // informational (the token list shows it): written at the same granularity as a session's lastSeenAt
    const now = Date.now();
    if (!row.lastUsedAt || now - Date.parse(row.lastUsedAt) >= 60_000) {
      const lastUsedAt = new Date(now).toISOString();
      await this.tokens.updateOne({ _id: row._id }, { $set: { lastUsedAt } });
      row.lastUsedAt = lastUsedAt;
    }
    return row;
  }

  async revokeToken(userId: string, tokenId: string): Promise<boolean> {
    const r = await this.tokens.updateOne(
      { tokenId, userId, revokedAt: { $exists: false } },
      { $set: { revokedAt: nowIso() } },
    );
    // the user's cached tokens (and sessions) are dropped here and on every other server (authCache.ts)
    if (r.modifiedCount) await this.cache.changed(userKey(userId));
    return r.modifiedCount === 1;
  }

  listTokens(userId: string) {
    return this.tokens
      .find({ userId }, { projection: { _id: 0 } })
      .sort({ createdAt: -1 })
      .toArray();
  }
}
