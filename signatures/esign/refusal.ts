import type { SessionUser } from '../../server/src/identity/sessionUser.ts';
import type { Refusal, SignableType, SigningPort } from './port.ts';

// Meanings that attest someone else's work: the author of the version may not give them
// (segregation of duties, DESIGN.md "Electronic signatures": an author cannot approve their own version).
const INDEPENDENT_MEANINGS = new Set(['reviewed', 'approved', 'released', 'verified']);

/**
 * Why `who` may not sign `state` with `meaning` (the record type's policy, then segregation of
 * duties), or null. Judged before any password is checked or anything written, and again on the
 * state the signature lands on; the command path judges it on the state its proposal would create;
 * verification judges it on the state before the signature, with the signer as they were then.
 */
export function signingRefusal(
  p: Pick<SigningPort, 'refusal'>,
  t: SignableType,
  who: SessionUser,
  meaning: string,
  state: object,
): Refusal | null {
  // a record type without a signing policy cannot be signed at all
  const refusal = t.canSign ? t.canSign(who, meaning, state) : p.refusal('SIGNATURE_NOT_ALLOWED', { meaning });
  if (refusal) return refusal;
  if (INDEPENDENT_MEANINGS.has(meaning) && t.author?.(state) === who.id) return p.refusal('SIGNER_IS_AUTHOR');
  return null;
}
