import type { Services } from '../platform/services.ts';
import { AppError, errors } from '../platform/errors.ts';
import { currentLocale, requestContext } from '../platform/context.ts';
import { nowIso } from '../platform/clock.ts';
import type { SessionUser } from '../identity/sessionUser.ts';
import type { LedgerEvent } from '../ledger/event.ts';
import { actorOf, checkCredentials } from '../identity/authService.ts';
import { getUser } from '../identity/userService.ts';
import { userRecord, type UserState } from '../identity/user.record.ts';
import * as esign from '../../../signatures/esign/service.ts';
import { signatureView } from '../../../signatures/esign/presenter.ts';
import type { SignatureData, SigningPort, SignRequest } from '../../../signatures/esign/service.ts';
import type { SignatureCheck, SignerHistories } from '../../../signatures/esign/verify.ts';
import { recordTypeOf } from './registry.ts';
import { SignerHistoryCache } from './signerHistories.ts';

// The server's side of the e-signature boundary: it implements the service's SigningPort once
// (ledger, projections, record types, accounts, the error catalog) and offers the service's
// functions bound to it. Modules call these; signatures/ imports nothing of theirs.

export { SIGNATURE_EVENT, type SignatureData } from '../../../signatures/esign/service.ts';
export type { SignatureCheck, SignerHistories };

const refusal: SigningPort['refusal'] = (code, params) => new AppError(code, params as Record<string, string | number>);

const ports = new WeakMap<Services, SigningPort>();

/** The SigningPort over this server's services (one per Services). */
export function signingPort(s: Services): SigningPort {
  let p = ports.get(s);
  if (p) return p;
  const histories = new SignerHistoryCache(s);
  p = {
    seal: s.signer,
    recordType: recordTypeOf,
    events: (stream, opts) => s.ledger.read(stream, undefined, opts),
    head: (stream) => s.ledger.head(stream),
    stateAt: (stream, version, opts) =>
      opts?.replay
        ? s.projector.replayedStateAt<object>(stream, version)
        : s.projector.stateAt<object>(stream, version),
    append: (who, stream, type, data, opts) => s.ledger.append(stream, type, data, { ...opts, actor: actorOf(who) }),
    appendOnHead: (who, stream, type, data) => s.ledger.appendWithRetry(stream, type, data, { actor: actorOf(who) }),
    // the account the command's credential check has just read, else a read
    signer: async (id) => {
      const account = requestContext.getStore()?.signing?.account;
      return account && account._id === id ? account : getUser(s, id);
    },
    checkCredentials: async (who, password, totp, purpose) =>
      checkCredentials(s, await getUser(s, who.id), password, totp, { kind: 'signature', ...purpose }),
    signerHistory: (id, asOf) => histories.get(id, asOf),
    signerAsOf,
    now: nowIso,
    refusal,
    notFound: errors.notFound,
    staleVersion: errors.staleVersion,
  };
  ports.set(s, p);
  return p;
}

/** The user as they were at `at`: their account replayed up to that moment. */
function signerAsOf(events: LedgerEvent[], at: string) {
  let u: UserState | undefined;
  for (const e of events) {
    if (e.at > at) break;
    u = userRecord.reduce(u, e);
  }
  if (!u) return undefined;
  const who: SessionUser = {
    id: u.id,
    username: u.username,
    fullName: u.fullName,
    email: u.email,
    roles: u.roles,
    via: 'session',
    totpEnrolled: !!u.totpFingerprint,
    mustChangePassword: false,
  };
  return { status: u.status, who };
}

type Req = Omit<SignRequest, 'password'>;
export const contentHashAt = (s: Services, stream: string, version: number, replay = false) =>
  esign.contentHashAt(signingPort(s), stream, version, replay);
export const signingRefusal = (t: esign.SignableType, who: SessionUser, meaning: string, state: object) =>
  esign.signingRefusal({ refusal }, t, who, meaning, state);
export const signingPrecheck = (s: Services, who: SessionUser, stream: string, req: Req) =>
  esign.signingPrecheck(signingPort(s), who, stream, req);
export const appendSignature = (s: Services, who: SessionUser, stream: string, req: Req) =>
  esign.appendSignature(signingPort(s), who, stream, req);
export const signaturesOf = (s: Services, stream: string, events?: LedgerEvent[]) =>
  esign.signaturesOf(signingPort(s), stream, events);
export const verifySignature = (s: Services, e: LedgerEvent<SignatureData>) => esign.verifySignature(signingPort(s), e);
export const verifyStreamSignatures = (s: Services, stream: string, events?: LedgerEvent[]) =>
  esign.verifyStreamSignatures(signingPort(s), stream, events);
export const verifySignaturesOf = (s: Services, stream: string, events: LedgerEvent[], signers?: SignerHistories) =>
  esign.verifySignaturesOf(signingPort(s), stream, events, signers);

/** One signature as shown (11.50), with its verification; pass `check` when the whole stream was verified at once. */
export async function presentSignature(s: Services, e: LedgerEvent<SignatureData>, check?: SignatureCheck) {
  return signatureView(e, check ?? (await verifySignature(s, e)), currentLocale());
}
