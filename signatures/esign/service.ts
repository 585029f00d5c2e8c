import { randomUUID } from 'node:crypto';
import type { LedgerEvent } from '../../server/src/ledger/event.ts';
import type { SessionUser } from '../../server/src/identity/sessionUser.ts';
import { SIGNATURE_EVENT, contentHashOf, signatureEvents, signedPayload, type SignatureData } from './seal.ts';
import { signingRefusal } from './refusal.ts';
import type { SigningPort } from './port.ts';

// The Part 11 e-signature service: what may be signed, the signature event itself, and its
// verification. Everything it needs of the application comes through the SigningPort.
export { SIGNATURE_EVENT, signedPayload, type SignatureData };
export type { SigningPort, SignableType, Refusal } from './port.ts';
export { signingRefusal };

export interface SignRequest {
  meaning: string;
  password: string;
  totp?: string;
  version: number;
  reason?: string;
  /**
   * A delegate signing for the person whose task it is: the record's policy is judged for that
   * person (`user`), the signer is the one who typed their credentials (issue 15 item 6).
   */
  onBehalfOf?: { user: SessionUser; delegationId: string };
}

export async function contentHashAt(p: SigningPort, stream: string, version: number, replay = false): Promise<string> {
  const t = p.recordType(stream);
  const state = await p.stateAt(stream, version, { replay });
  if (!t || !state) throw p.notFound('record');
  return contentHashOf(t.content(state));
}

/**
 * Why a signature of `req.meaning` at `req.version` may not be given now: the record type's
 * policy, segregation of duties, a stale view, a signature already given. Judged before the
 * password (and a one-time code) is spent; appendSignature judges it again where it lands.
 */
export async function signingPrecheck(
  p: SigningPort,
  who: SessionUser,
  stream: string,
  req: Omit<SignRequest, 'password'>,
): Promise<void> {
  const t = p.recordType(stream);
  if (!t) throw p.notFound('record');
  const head = await p.head(stream);
  if (!head) throw p.notFound('record');
  if (req.version > head.version) throw p.staleVersion(req.version, head.version);
  const first = await p.stateAt(stream, head.version);
  if (!first) throw p.notFound('record');
  const refusal = signingRefusal(p, t, req.onBehalfOf?.user ?? who, req.meaning, first);
  if (refusal) throw refusal;
  const firstHash = contentHashOf(t.content(first));
  if ((await contentHashAt(p, stream, req.version)) !== firstHash) throw p.staleVersion(req.version, head.version);
  if (await hasSigned(p, stream, (req.onBehalfOf?.user ?? who).id, req.meaning, firstHash))
    throw p.refusal('ALREADY_SIGNED', { meaning: req.meaning });
}

/**
 * Appends an electronic signature whose signer the caller has just re-authenticated (the command
 * path, records/command.ts): binds the SHA-256 of the version the signer saw, seals the binding
 * with the server key and appends it, judged on the state it lands on (a concurrent signature is
 * retried). The record type's `afterSignature` events follow (a transition the signature completes).
 */
export async function appendSignature(
  p: SigningPort,
  who: SessionUser,
  stream: string,
  req: Omit<SignRequest, 'password'>,
): Promise<LedgerEvent<SignatureData>> {
  const t = p.recordType(stream);
  if (!t) throw p.notFound('record');
  const user = await p.signer(who.id);
  for (let attempt = 0; ; attempt++) {
    const current = await p.head(stream);
    if (!current) throw p.notFound('record');
    const state = await p.stateAt(stream, current.version);
    if (!state) throw p.notFound('record');
    const again = signingRefusal(p, t, req.onBehalfOf?.user ?? who, req.meaning, state);
    if (again) throw again;
    const seen = await contentHashAt(p, stream, req.version);
    const contentHash = contentHashOf(t.content(state));
    if (seen !== contentHash) throw p.staleVersion(req.version, current.version);
    if (await hasSigned(p, stream, (req.onBehalfOf?.user ?? who).id, req.meaning, contentHash))
      throw p.refusal('ALREADY_SIGNED', { meaning: req.meaning });
    const principal = req.onBehalfOf;
    const body = {
      signatureId: randomUUID(),
      stream,
      meaning: req.meaning,
      signer: { id: who.id, name: user.fullName, username: user.username },
      signedAt: p.now(), // the application's system clock: the same time as the signature's ledger event
      recordVersion: req.version,
      contentHash,
      ...(req.reason ? { reason: req.reason } : {}),
      ...(principal
        ? {
            onBehalfOf: {
              id: principal.user.id,
              name: principal.user.fullName,
              delegationId: principal.delegationId,
            },
          }
        : {}),
    };
    const data: SignatureData = {
      ...body,
      serverSignature: p.seal.sign(signedPayload(body)),
      certFingerprint: p.seal.fingerprint,
    };
    try {
      const event = await p.append(who, stream, SIGNATURE_EVENT, data, {
        expectedVersion: current.version,
        reason: req.reason,
      });
      // judged on the state this signature made, not on a concurrent later event's (issue 9 #17)
      const after = await p.stateAt(stream, event.version);
      for (const follow of t.afterSignature?.(after!, req.meaning) ?? [])
        await p.appendOnHead(who, stream, follow.type, follow.data);
      return event;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (attempt < 5 && (code === 'CONFLICT' || code === 'STALE_VERSION')) continue; // someone else signed at the same moment
      throw err;
    }
  }
}

async function hasSigned(p: SigningPort, stream: string, userId: string, meaning: string, contentHash: string) {
  return (await signaturesOf(p, stream)).some(
    (e) =>
      (e.data.onBehalfOf?.id ?? e.data.signer.id) === userId &&
      e.data.meaning === meaning &&
      e.data.contentHash === contentHash,
  );
}

export async function signaturesOf(
  p: SigningPort,
  stream: string,
  events?: LedgerEvent[],
): Promise<LedgerEvent<SignatureData>[]> {
  return signatureEvents(events ?? (await p.events(stream)));
}

export {
  verifySignature,
  verifyStreamSignatures,
  verifySignaturesOf,
  type SignatureCheck,
  type SignerHistories,
} from './verify.ts';
