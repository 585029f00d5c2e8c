import type { LedgerEvent } from '../../server/src/ledger/event.ts';
import { verifyWithCert } from '../signer.ts';
import {
  SIGNATURE_EVENT,
  contentHashOf,
  registerSealCertificate,
  signatureEvents,
  signedPayload,
  type SignatureData,
} from './seal.ts';
import { signingRefusal } from './refusal.ts';
import type { SignableType, SigningPort } from './port.ts';

// Verification of signatures already on the ledger: the record binding, the server seal, the
// content hash, and (with the signers' account histories) that the signer was active and allowed.

export interface SignatureCheck {
  valid: boolean;
  problems: string[];
}
/** Each signer's account events (user stream), for checking who they were when they signed. */
export type SignerHistories = Map<string, LedgerEvent[]>;

/** A signature is valid only against the exact content it signed, sealed by our certificate, by a signer then active and authorized. */
export async function verifySignature(p: SigningPort, e: LedgerEvent<SignatureData>): Promise<SignatureCheck> {
  const events = await p.events(e.stream, { fresh: true });
  const found = events.some((x) => x.version === e.version && x.type === SIGNATURE_EVENT);
  // an event that is not on the stream it claims (a copy handed in from elsewhere) is checked alone
  const own = found ? events : [...events.filter((x) => x.version < e.version), e as unknown as LedgerEvent];
  const checks = await verifyStreamSignatures(p, e.stream, own);
  return checks.get(e.data.signatureId) ?? { valid: false, problems: ['signature is not on its record'] };
}

/** verifySignaturesOf with the signers' account histories read from the ledger (pages, exports, `ledger verify`). */
export async function verifyStreamSignatures(
  p: SigningPort,
  stream: string,
  events?: LedgerEvent[],
): Promise<Map<string, SignatureCheck>> {
  const all = events ?? (await p.events(stream, { fresh: true }));
  // each signer (and each person signed for) with the time of their latest signature here
  const latest = new Map<string, string>();
  for (const e of signatureEvents(all))
    for (const id of [e.data.signer?.id, e.data.onBehalfOf?.id])
      if (typeof id === 'string' && String(e.at) > (latest.get(id) ?? '')) latest.set(id, String(e.at));
  const signers: SignerHistories = new Map();
  await Promise.all(
    [...latest].map(async ([id, asOf]) => {
      signers.set(id, await p.signerHistory(id, asOf).catch(() => []));
    }),
  );
  return verifySignaturesOf(p, stream, all, signers);
}

/** The checks of one signature, given the state of its record just before it and at the version it names. */
function checkAgainst(
  p: SigningPort,
  t: SignableType | undefined,
  e: LedgerEvent<SignatureData>,
  before: object | undefined,
  actualHash: string | undefined,
  signers?: SignerHistories,
): SignatureCheck {
  const d = e.data;
  const problems: string[] = [];
  if (d.stream !== e.stream) problems.push('signature was made for another record');
  if (!verifyWithCert(p.seal.certPem, signedPayload(d), d.serverSignature))
    problems.push('server seal does not verify');
  if (actualHash !== d.contentHash) problems.push('signed content has changed');
  else if (t && before && contentHashOf(t.content(before)) !== d.contentHash)
    problems.push('signed content is not the content the record had when signed');
  if (signers && t && before) {
    const u = p.signerAsOf(signers.get(d.signer?.id) ?? [], d.signedAt);
    if (!u) problems.push('signer is not a known user');
    else if (u.status !== 'active') problems.push(`signer was ${u.status} when signing`);
    else {
      // a delegate's signature is judged for the person it was given for, as they were then (issue 15 item 6)
      const principal = d.onBehalfOf ? p.signerAsOf(signers.get(d.onBehalfOf.id) ?? [], d.signedAt) : undefined;
      if (d.onBehalfOf && principal?.status !== 'active')
        problems.push('signed on behalf of an unknown or inactive user');
      const refusal = signingRefusal(p, t, principal?.who ?? u.who, d.meaning, before);
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
export function verifySignaturesOf(
  p: SigningPort,
  stream: string,
  events: LedgerEvent[],
  signers?: SignerHistories,
): Map<string, SignatureCheck> {
  registerSealCertificate(p.seal.certPem, p.seal.fingerprint);
  const t = p.recordType(stream);
  const sigs = signatureEvents(events);
  const wanted = new Set(sigs.map((e) => e.data.recordVersion));
  const hashAt = new Map<number, string>();
  const before = new Map<number, object | undefined>();
  let state: object | undefined;
  for (const e of [...events].sort((a, b) => a.version - b.version)) {
    if (!t) break;
    if (e.type === SIGNATURE_EVENT) before.set(e.version, state);
    try {
      state = t.reduce(state, e);
    } catch {
      break; // a broken stream: what follows cannot be judged
    }
    if (wanted.has(e.version)) hashAt.set(e.version, contentHashOf(t.content(state)));
  }
  return new Map(
    sigs.map((e) => [
      e.data.signatureId,
      checkAgainst(p, t, e, before.get(e.version), hashAt.get(e.data.recordVersion), signers),
    ]),
  );
}
