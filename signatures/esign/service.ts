import { randomUUID } from 'node:crypto';
import type { Services } from '../../server/src/platform/services.ts';
import type { SessionUser } from '../../server/src/identity/sessionUser.ts';
import type { LedgerEvent } from '../../server/src/ledger/event.ts';
import { AppError, errors } from '../../server/src/platform/errors.ts';
import { recordTypeOf, streamOf, type RecordType } from '../../server/src/records/registry.ts';
import { checkCredentials, actorOf } from '../../server/src/identity/authService.ts';
import { getUser } from '../../server/src/identity/userService.ts';
import { userRecord, type UserState } from '../../server/src/identity/user.record.ts';
import { verifyWithCert } from '../signer.ts';
import { SIGNATURE_EVENT, contentHashOf, signedPayload, registerSealCertificate, type SignatureData } from './seal.ts';

export { SIGNATURE_EVENT, signedPayload, type SignatureData };
// Meanings that attest someone else's work: the author of the version may not give them.
const INDEPENDENT_MEANINGS = new Set(['reviewed', 'approved', 'released', 'verified']);

export interface SignRequest { meaning: string; password: string; totp?: string; version: number; reason?: string }

export async function contentHashAt(s: Services, stream: string, version: number, replay = false): Promise<string> {
  const t = recordTypeOf(stream);
  const state = replay ? await s.projector.replayedStateAt<object>(stream, version) : await s.projector.stateAt<object>(stream, version);
  if (!t || !state) throw errors.notFound('record');
  return contentHashOf(t.content(state));
}

/**
 * Why `who` may not sign `state` with `meaning` (the record type's policy, then segregation of
 * duties), or null. Judged before any password is checked or anything written, and again on the
 * state the signature lands on; signedDecision judges it on the state its proposal would create.
 */
export function signingRefusal(t: RecordType<any>, who: SessionUser, meaning: string, state: object): AppError | null {
  // a record type without a signing policy cannot be signed at all
  const refusal = t.canSign ? t.canSign(who, meaning, state) : new AppError('SIGNATURE_NOT_ALLOWED', { meaning });
  if (refusal) return refusal;
  if (INDEPENDENT_MEANINGS.has(meaning) && t.author?.(state) === who.id) return new AppError('SIGNER_IS_AUTHOR');
  return null;
}

/**
 * Why a signature of `req.meaning` at `req.version` may not be given now: the record type's
 * policy, segregation of duties, a stale view, a signature already given. Judged before the
 * password (and a one-time code) is spent; appendSignature judges it again where it lands.
 */
export async function signingPrecheck(s: Services, who: SessionUser, stream: string, req: Omit<SignRequest, 'password'>): Promise<void> {
  const t = recordTypeOf(stream);
  if (!t) throw errors.notFound('record');
  const head = await s.ledger.head(stream);
  if (!head) throw errors.notFound('record');
  if (req.version > head.version) throw errors.staleVersion(req.version, head.version);
  const first = await s.projector.stateAt<object>(stream, head.version);
  if (!first) throw errors.notFound('record');
  const refusal = signingRefusal(t, who, req.meaning, first);
  if (refusal) throw refusal;
  const firstHash = contentHashOf(t.content(first));
  if (await contentHashAt(s, stream, req.version) !== firstHash) throw errors.staleVersion(req.version, head.version);
  if (await hasSigned(s, stream, who.id, req.meaning, firstHash)) throw new AppError('ALREADY_SIGNED', { meaning: req.meaning });
}

/**
 * Appends an electronic signature whose signer the caller has just re-authenticated (the command
 * path, records/command.ts): binds the SHA-256 of the version the signer saw, seals the binding
 * with the server key and appends it, judged on the state it lands on (a concurrent signature is
 * retried). The record type's `afterSignature` events follow (a transition the signature completes).
 */
export async function appendSignature(s: Services, who: SessionUser, stream: string, req: Omit<SignRequest, 'password'>): Promise<LedgerEvent<SignatureData>> {
  const t = recordTypeOf(stream);
  if (!t) throw errors.notFound('record');
  const user = await getUser(s, who.id);
  for (let attempt = 0; ; attempt++) {
    const current = await s.ledger.head(stream);
    if (!current) throw errors.notFound('record');
    const state = await s.projector.stateAt<object>(stream, current.version);
    if (!state) throw errors.notFound('record');
    const again = signingRefusal(t, who, req.meaning, state);
    if (again) throw again;
    const seen = await contentHashAt(s, stream, req.version);
    const contentHash = contentHashOf(t.content(state));
    if (seen !== contentHash) throw errors.staleVersion(req.version, current.version);
    if (await hasSigned(s, stream, who.id, req.meaning, contentHash)) throw new AppError('ALREADY_SIGNED', { meaning: req.meaning });
    const body = { signatureId: randomUUID(), stream, meaning: req.meaning, signer: { id: who.id, name: user.fullName, username: user.username },
      signedAt: new Date().toISOString(), recordVersion: req.version, contentHash, ...(req.reason ? { reason: req.reason } : {}) };
    const data: SignatureData = { ...body, serverSignature: s.signer.sign(signedPayload(body)), certFingerprint: s.signer.fingerprint };
    try {
      const event = await s.ledger.append(stream, SIGNATURE_EVENT, data, { expectedVersion: current.version, actor: actorOf(who), reason: req.reason });
      // judged on the state this signature made, not on a concurrent later event's (issue 9 #17)
      const after = await s.projector.stateAt<object>(stream, event.version);
      for (const follow of t.afterSignature?.(after!, req.meaning) ?? []) await s.ledger.appendWithRetry(stream, follow.type, follow.data, { actor: actorOf(who) });
      return event;
    } catch (err) {
      const code = (err as AppError).code;
      if (attempt < 5 && (code === 'CONFLICT' || code === 'STALE_VERSION')) continue; // someone else signed at the same moment
      throw err;
    }
  }
}

/**
 * Applies an electronic signature outside a record's command path (kept for the transition
 * period): precheck, re-authentication (a wrong password leaves only its failed attempt on the
 * signer's account, 11.300(d)), then appendSignature.
 */
export async function signRecord(s: Services, who: SessionUser, stream: string, req: SignRequest,
  opts: { credentialsChecked?: boolean } = {}): Promise<LedgerEvent<SignatureData>> {
  await signingPrecheck(s, who, stream, req);
  if (!opts.credentialsChecked) await checkCredentials(s, await getUser(s, who.id), req.password, req.totp, { kind: 'signature', stream, meaning: req.meaning });
  return appendSignature(s, who, stream, req);
}

async function hasSigned(s: Services, stream: string, userId: string, meaning: string, contentHash: string) {
  return (await signaturesOf(s, stream)).some((e) => e.data.signer.id === userId && e.data.meaning === meaning && e.data.contentHash === contentHash);
}

export interface SignatureCheck { valid: boolean; problems: string[] }
/** Each signer's account events (user stream), for checking who they were when they signed. */
export type SignerHistories = Map<string, LedgerEvent[]>;

/** A signature is valid only against the exact content it signed, sealed by our certificate, by a signer then active and authorized. */
export async function verifySignature(s: Services, e: LedgerEvent<SignatureData>): Promise<SignatureCheck> {
  const events = await s.ledger.read(e.stream, undefined, { fresh: true });
  const found = events.some((x) => x.version === e.version && x.type === SIGNATURE_EVENT);
  // an event that is not on the stream it claims (a copy handed in from elsewhere) is checked alone
  const checks = await verifyStreamSignatures(s, e.stream, found ? events : [...events.filter((x) => x.version < e.version), e as unknown as LedgerEvent]);
  return checks.get(e.data.signatureId) ?? { valid: false, problems: ['signature is not on its record'] };
}

/** verifySignaturesOf with the signers' account histories read from the ledger (pages, exports, `ledger verify`). */
export async function verifyStreamSignatures(s: Services, stream: string, events?: LedgerEvent[]): Promise<Map<string, SignatureCheck>> {
  const all = events ?? (await s.ledger.read(stream, undefined, { fresh: true }));
  const ids = new Set((await signaturesOf(s, stream, all)).map((e) => e.data.signer?.id).filter((id): id is string => typeof id === 'string'));
  const signers: SignerHistories = new Map();
  await Promise.all([...ids].map(async (id) => { signers.set(id, await s.ledger.read(streamOf('user', id), undefined, { fresh: true }).catch(() => [])); }));
  return verifySignaturesOf(s, stream, all, signers);
}

/** The user as they were at `at`: their account replayed up to that moment. */
function userAt(events: LedgerEvent[], at: string): UserState | undefined {
  let u: UserState | undefined;
  for (const e of events) { if (e.at > at) break; u = userRecord.reduce(u, e); }
  return u;
}

/** The checks of one signature, given the state of its record just before it and at the version it names. */
function checkAgainst(s: Services, t: RecordType<any> | undefined, e: LedgerEvent<SignatureData>, before: object | undefined,
  actualHash: string | undefined, signers?: SignerHistories): SignatureCheck {
  const d = e.data;
  const problems: string[] = [];
  if (d.stream !== e.stream) problems.push('signature was made for another record');
  if (!verifyWithCert(s.signer.certPem, signedPayload(d), d.serverSignature)) problems.push('server seal does not verify');
  if (actualHash !== d.contentHash) problems.push('signed content has changed');
  else if (t && before && contentHashOf(t.content(before)) !== d.contentHash) problems.push('signed content is not the content the record had when signed');
  if (signers && t && before) {
    const u = userAt(signers.get(d.signer?.id) ?? [], d.signedAt);
    if (!u) problems.push('signer is not a known user');
    else if (u.status !== 'active') problems.push(`signer was ${u.status} when signing`);
    else {
      const who: SessionUser = { id: u.id, username: u.username, fullName: u.fullName, email: u.email, roles: u.roles, via: 'session', totpEnrolled: !!u.totpFingerprint, mustChangePassword: false };
      const refusal = signingRefusal(t, who, d.meaning, before);
      if (refusal) problems.push(`signer was not authorized to sign: ${refusal.code}`);
    }
  }
  return { valid: problems.length === 0, problems };
}

/**
 * Every signature of a stream checked in one pass over its events (one read, one replay): the
 * record binding, the seal, the content hash at the version it names and just before it; with
 * `signers` (see verifyStreamSignatures) also that the signer was active and authorized then.
 */
export function verifySignaturesOf(s: Services, stream: string, events: LedgerEvent[], signers?: SignerHistories): Map<string, SignatureCheck> {
  registerSealCertificate(s.signer.certPem, s.signer.fingerprint);
  const t = recordTypeOf(stream);
  const sigs = events.filter((e) => e.type === SIGNATURE_EVENT) as unknown as LedgerEvent<SignatureData>[];
  const wanted = new Set(sigs.map((e) => e.data.recordVersion));
  const hashAt = new Map<number, string>();
  const before = new Map<number, object | undefined>();
  let state: object | undefined;
  for (const e of [...events].sort((a, b) => a.version - b.version)) {
    if (!t) break;
    if (e.type === SIGNATURE_EVENT) before.set(e.version, state);
    try { state = t.reduce(state, e) as object; } catch { break; } // a broken stream: what follows cannot be judged
    if (wanted.has(e.version)) hashAt.set(e.version, contentHashOf(t.content(state)));
  }
  return new Map(sigs.map((e) => [e.data.signatureId, checkAgainst(s, t, e, before.get(e.version), hashAt.get(e.data.recordVersion), signers)]));
}

export async function signaturesOf(s: Services, stream: string, events?: LedgerEvent[]): Promise<LedgerEvent<SignatureData>[]> {
  return ((events ?? (await s.ledger.read(stream))).filter((e) => e.type === SIGNATURE_EVENT)) as unknown as LedgerEvent<SignatureData>[];
}
