import { createHash } from 'node:crypto';
import { canonicalize } from './canonical.ts';
import type { Actor } from '../platform/context.ts';

/** One ledger entry. `hash` = SHA-256 over the RFC 8785 canonical JSON of all other fields. */
export interface LedgerEvent<D = Record<string, unknown>> {
  stream: string;
  version: number;
  type: string;
  at: string; // ISO 8601 UTC, a string so that the hashed bytes never depend on a driver's Date handling
  actor: Actor;
  data: D;
  reason?: string;
  prevHash: string;
  hash: string;
  /** The server's Ed25519 seal over `hash` (sealKey.ts). Not hashed: it signs the hash. */
  seal?: string;
}

export const GENESIS_HASH = '0'.repeat(64);

export function sha256Hex(input: string | Buffer): string {
  return createHash('sha256').update(input).digest('hex');
}

/** The exact bytes that are hashed: canonical JSON of the event without `hash` (and without Mongo's _id). */
export function canonicalBytes(e: Omit<LedgerEvent, 'hash'> & { hash?: string; _id?: unknown }): string {
  const body: Record<string, unknown> = {
    stream: e.stream,
    version: e.version,
    type: e.type,
    at: e.at,
    actor: e.actor,
    data: e.data,
    prevHash: e.prevHash,
  };
  if (e.reason !== undefined) body.reason = e.reason;
  return canonicalize(body);
}

export function hashEvent(e: Omit<LedgerEvent, 'hash'>): string {
  return sha256Hex(canonicalBytes(e));
}

/**
 * Fast path for verification. The ledger stores every event with its keys already in canonical
 * order (see Ledger.append), so one native JSON.stringify usually yields the canonical bytes.
 * If those bytes hash to the stored hash, the content is what was hashed (SHA-256 is collision
 * resistant), whatever path produced them; if not, the caller falls back to full
 * canonicalization before calling the event altered.
 */
export function quickHashMatches(e: LedgerEvent): boolean {
  const body =
    e.reason === undefined
      ? {
          actor: e.actor,
          at: e.at,
          data: e.data,
          prevHash: e.prevHash,
          stream: e.stream,
          type: e.type,
          version: e.version,
        }
      : {
          actor: e.actor,
          at: e.at,
          data: e.data,
          prevHash: e.prevHash,
          reason: e.reason,
          stream: e.stream,
          type: e.type,
          version: e.version,
        };
  return sha256Hex(JSON.stringify(body)) === e.hash;
}

/** Deep copy with keys in canonical order and only JSON values: what the ledger stores. */
export function canonicalCopy<T>(value: T): T {
  return JSON.parse(canonicalize(value)) as T;
}
