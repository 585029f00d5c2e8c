import { randomUUID } from 'node:crypto';
import type { Services } from '../../server/src/platform/services.ts';
import type { SessionUser } from '../../server/src/identity/sessionUser.ts';
import type { LedgerEvent } from '../../server/src/ledger/event.ts';
import { canonicalize } from '../../server/src/ledger/canonical.ts';
import { sha256Hex } from '../../server/src/ledger/event.ts';
import { AppError, errors } from '../../server/src/platform/errors.ts';
import { recordTypeOf } from '../../server/src/records/registry.ts';
import { checkCredentials, actorOf } from '../../server/src/identity/authService.ts';
import { getUser } from '../../server/src/identity/userService.ts';
import { verifyWithCert } from '../signer.ts';

export const SIGNATURE_EVENT = 'signature.applied';
// Meanings that attest someone else's work: the author of the version may not give them.
const INDEPENDENT_MEANINGS = new Set(['reviewed', 'approved', 'released', 'verified']);

export interface SignatureData extends Record<string, unknown> {
  signatureId: string; stream: string; meaning: string; signer: { id: string; name: string; username: string };
  signedAt: string; recordVersion: number; contentHash: string; reason?: string;
  serverSignature: string; certFingerprint: string;
}

export interface SignRequest { meaning: string; password: string; totp?: string; version: number; reason?: string }

/** The bytes the server key signs: binding signer, meaning, time, record and content (11.70). */
export function signedPayload(d: Omit<SignatureData, 'serverSignature' | 'certFingerprint'>): string {
  const { signatureId, stream, meaning, signer, signedAt, recordVersion, contentHash, reason } = d;
  return canonicalize({ signatureId, stream, meaning, signer, signedAt, recordVersion, contentHash, reason });
}

export async function contentHashAt(s: Services, stream: string, version: number, replay = false): Promise<string> {
  const t = recordTypeOf(stream);
  const state = replay ? await s.projector.replayedStateAt<object>(stream, version) : await s.projector.stateAt<object>(stream, version);
  if (!t || !state) throw errors.notFound('record');
  return sha256Hex(canonicalize(t.content(state)));
}

/**
 * Applies an electronic signature: re-authenticates the signer, checks the record type's policy
 * and segregation of duties, binds the SHA-256 of the version the signer saw, seals the
 * binding with the server key and appends it to the record's stream. `extraEvents` are appended
 * after it (a lifecycle transition the signature completes).
 */
export async function signRecord(s: Services, who: SessionUser, stream: string, req: SignRequest): Promise<LedgerEvent<SignatureData>> {
  const t = recordTypeOf(stream);
  if (!t) throw errors.notFound('record');
  const head = await s.ledger.head(stream);
  if (!head) throw errors.notFound('record');
  if (req.version > head.version) throw errors.staleVersion(req.version, head.version);
  const user = await getUser(s, who.id);
  await checkCredentials(s, user, req.password, req.totp, { kind: 'signature', stream, meaning: req.meaning });
  for (let attempt = 0; ; attempt++) {
    const current = await s.ledger.head(stream);
    const state = await s.projector.stateAt<object>(stream, current!.version);
    if (!state) throw errors.notFound('record');
    // a record type without a signing policy cannot be signed at all
    const refusal = t.canSign ? t.canSign(who, req.meaning, state) : new AppError('SIGNATURE_NOT_ALLOWED', { meaning: req.meaning });
    if (refusal) throw refusal;
    if (INDEPENDENT_MEANINGS.has(req.meaning) && t.author?.(state) === who.id) throw new AppError('SIGNER_IS_AUTHOR');
    const seen = await contentHashAt(s, stream, req.version);
    const contentHash = sha256Hex(canonicalize(t.content(state)));
    if (seen !== contentHash) throw errors.staleVersion(req.version, current!.version);
    if (await hasSigned(s, stream, who.id, req.meaning, contentHash)) throw new AppError('ALREADY_SIGNED', { meaning: req.meaning });
    const body = { signatureId: randomUUID(), stream, meaning: req.meaning, signer: { id: who.id, name: user.fullName, username: user.username },
      signedAt: new Date().toISOString(), recordVersion: req.version, contentHash, ...(req.reason ? { reason: req.reason } : {}) };
    const data: SignatureData = { ...body, serverSignature: s.signer.sign(signedPayload(body)), certFingerprint: s.signer.fingerprint };
    try {
      const event = await s.ledger.append(stream, SIGNATURE_EVENT, data, { expectedVersion: current!.version, actor: actorOf(who), reason: req.reason });
      const after = await s.projector.stateAt<object>(stream);
      for (const follow of t.afterSignature?.(after!, req.meaning) ?? []) await s.ledger.appendWithRetry(stream, follow.type, follow.data, { actor: actorOf(who) });
      return event;
    } catch (err) {
      const code = (err as AppError).code;
      if (attempt < 5 && (code === 'CONFLICT' || code === 'STALE_VERSION')) continue; // someone else signed at the same moment
      throw err;
    }
  }
}

async function hasSigned(s: Services, stream: string, userId: string, meaning: string, contentHash: string) {
  return (await signaturesOf(s, stream)).some((e) => e.data.signer.id === userId && e.data.meaning === meaning && e.data.contentHash === contentHash);
}

export interface SignatureCheck { valid: boolean; problems: string[] }

/** A signature is valid only against the exact content it signed, sealed by our certificate. */
export async function verifySignature(s: Services, e: LedgerEvent<SignatureData>): Promise<SignatureCheck> {
  const actual = await contentHashAt(s, e.stream, e.data.recordVersion, true).catch(() => null);
  return checkAgainst(s, e, actual);
}

/** The checks of one signature, given the hash of the content at the version it names. */
function checkAgainst(s: Services, e: LedgerEvent<SignatureData>, actualHash: string | null | undefined): SignatureCheck {
  const d = e.data;
  const problems: string[] = [];
  if (d.stream !== e.stream) problems.push('signature was made for another record');
  if (!verifyWithCert(s.signer.certPem, signedPayload(d), d.serverSignature)) problems.push('server seal does not verify');
  if (actualHash !== d.contentHash) problems.push('signed content has changed');
  return { valid: problems.length === 0, problems };
}

/**
 * Every signature of a stream checked in one pass over its events (one read, one replay): what
 * verifySignature does per signature, for record pages and exports that show them all.
 */
export function verifySignaturesOf(s: Services, stream: string, events: LedgerEvent[]): Map<string, SignatureCheck> {
  const t = recordTypeOf(stream);
  const sigs = events.filter((e) => e.type === SIGNATURE_EVENT) as unknown as LedgerEvent<SignatureData>[];
  const wanted = new Set(sigs.map((e) => e.data.recordVersion));
  const hashAt = new Map<number, string>();
  let state: object | undefined;
  for (const e of [...events].sort((a, b) => a.version - b.version)) {
    if (!t) break;
    state = t.reduce(state, e) as object;
    if (wanted.has(e.version)) hashAt.set(e.version, sha256Hex(canonicalize(t.content(state))));
  }
  return new Map(sigs.map((e) => [e.data.signatureId, checkAgainst(s, e, hashAt.get(e.data.recordVersion))]));
}

export async function signaturesOf(s: Services, stream: string, events?: LedgerEvent[]): Promise<LedgerEvent<SignatureData>[]> {
  return ((events ?? (await s.ledger.read(stream))).filter((e) => e.type === SIGNATURE_EVENT)) as unknown as LedgerEvent<SignatureData>[];
}
