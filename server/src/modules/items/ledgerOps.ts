import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { actorOf, checkCredentials } from '../../identity/authService.ts';
import { getUser } from '../../identity/userService.ts';
import { errors } from '../../platform/errors.ts';
import { fold } from '../../records/projector.ts';
import { recordTypeOf } from '../../records/registry.ts';
import { mutate, type Change } from '../../records/ledgerOps.ts';
import { signRecord, signingRefusal } from '../../records/signing.ts';

// TRANSITION PERIOD (issue 10): the old signed-decision idiom, until every record type runs its
// actions through records/command.ts. Delete this file once nothing imports it.
export interface Cred { password: string; totp?: string }

/**
 * A decision completed by an e-signature. Every refusal comes before anything is written: the
 * precheck, the proposal's own checks and the signing policy (role, separation of duties) are
 * judged on the state the proposal would create, then the signer's credentials (a wrong password
 * writes only its failed attempt on the signer's account), then the proposal is appended — judged
 * again on the state it lands on — and signed at exactly the version it created; the record
 * type's afterSignature turns the signed proposal into its effect. Returns the state after it all.
 */
export async function signedDecision(s: Services, user: SessionUser, stream: string, meaning: string, cred: Cred,
  propose: (state: any, version: number) => Change | Promise<Change>, precheck?: (state: any) => void,
  /** Runs once the credentials have passed, before the proposal is appended: where numbers are allocated. */
  afterCredentials?: () => Promise<void>) {
  const t = recordTypeOf(stream)!;
  const actor = actorOf(user);
  const judge = async (state: object | undefined, version: number): Promise<Change> => {
    if (!state) throw errors.notFound('record');
    precheck?.(state);
    const change = await propose(state, version);
    const proposed = t.reduce(state, { stream, version: version + 1, type: change.type, at: new Date().toISOString(), actor, data: change.data,
      ...(change.reason ? { reason: change.reason } : {}), prevHash: '', hash: '' });
    const refusal = signingRefusal(t, user, meaning, proposed);
    if (refusal) throw refusal;
    return change;
  };
  const events = await s.ledger.read(stream);
  await judge(fold(t, events), events.length);
  const u = await getUser(s, user.id);
  await checkCredentials(s, u, cred.password, cred.totp, { kind: 'signature', stream, meaning });
  await afterCredentials?.();
  const proposed = await mutate<object>(s, stream, actor, judge);
  await signRecord(s, user, stream, { meaning, password: cred.password, totp: cred.totp, version: proposed!.version, reason: proposed!.reason },
    { credentialsChecked: true });
  return s.projector.stateAt<any>(stream);
}
