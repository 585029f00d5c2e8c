import type { Services } from '../platform/services.ts';
import { errors } from '../platform/errors.ts';
import type { SessionUser } from '../identity/sessionUser.ts';
import { signRecord } from './signing.ts';
import { assertTransition, type Lifecycle, type Transition } from './lifecycle.ts';

export interface TransitionInput { version: number; password?: string; totp?: string; reason?: string }

/**
 * The common front of every lifecycle action on a record: assert the transition (before any
 * password is checked or anything written), check the version the user saw and the reason, and
 * when the step is a signature, apply it through signRecord (re-authentication, policy against
 * the head, follow-up events). Returns null when the signature did the work, else the
 * transition whose own event the caller appends at `version`.
 */
export async function beginTransition<S>(s: Services, decl: Lifecycle<S>, record: S & { ledgerVersion: number }, user: SessionUser,
  stream: string, action: string, input: TransitionInput): Promise<Transition<S> | null> {
  const t = assertTransition(decl, action, record, user);
  if (input.version > record.ledgerVersion) throw errors.staleVersion(input.version, record.ledgerVersion);
  if (t.needsReason && !input.reason) throw errors.validation('body.reason', 'a reason is required');
  if (t.signature) {
    if (!input.password) throw errors.validation('body.password', 'your password is required to sign');
    await signRecord(s, user, stream, { meaning: t.signature.meaning, password: input.password, totp: input.totp, version: input.version, reason: input.reason });
    return null;
  }
  if (input.version !== record.ledgerVersion) throw errors.staleVersion(input.version, record.ledgerVersion);
  return t;
}
