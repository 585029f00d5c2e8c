import type { Services } from '../platform/services.ts';
import { AppError, errors } from '../platform/errors.ts';
import { requestContext } from '../platform/context.ts';
import type { SessionUser } from '../identity/sessionUser.ts';
import { actorOf, checkCredentials } from '../identity/authService.ts';
import { getUser } from '../identity/userService.ts';
import { appendSignature, signingPrecheck, signingRefusal } from './signing.ts';
import { recordTypeOf, streamId, type RecordType } from './registry.ts';
import { mutate, type Change } from './ledgerOps.ts';
import { journaled } from './commandJournal.ts';
import {
  delegatedRefusalOf,
  refusalOf,
  type CommandContext,
  type CommandInput,
  type Lifecycle,
  type OnBehalfOf,
  type Transition,
} from './lifecycle.ts';
import { nowIso } from '../platform/clock.ts';

/**
 * The delegation under which `delegate` may sign for `principalId` now, or its refusal (the
 * delegation module registers it: records/ imports no module). Issue 15 item 6.
 */
export type DelegationResolver = (s: Services, delegate: SessionUser, principalId: string) => Promise<OnBehalfOf>;
let resolveDelegation: DelegationResolver | null = null;
export function setDelegationResolver(r: DelegationResolver) {
  resolveDelegation = r;
}

/** The refusal for the command's user, or, signing on someone's behalf, for both people. */
const refusalFor = <S>(
  decl: Lifecycle<S>,
  name: string,
  state: S,
  c: Pick<CommandContext<S>, 'user' | 'onBehalfOf'>,
) =>
  c.onBehalfOf
    ? delegatedRefusalOf(decl, name, state, c.user, c.onBehalfOf.user)
    : refusalOf(decl, name, state, c.user);

/**
 * The one command path every action of every record type runs (DESIGN "Records and lifecycle"):
 *
 *   load (fold the stream from the ledger) → refusal (the declaration: state, role, separation
 *   of duties, preconditions; then the action's own `prepare` checks), once → the version the
 *   user saw → credentials, once, when the action is signed → `allocate` (numbers) → append the
 *   event, judged again on the state it lands on → the e-signature over exactly that version →
 *   `after` (effects on other records) → the projected state.
 *
 * Nothing is written, allocated or numbered before the credentials pass: a refusal writes
 * nothing, a wrong password writes only its failed attempt on the signer's account (11.300(d)).
 * The acting user is put on the request context, so every event the command appends (and every
 * record it touches in `after`) carries them without passing an actor by hand.
 */
export async function runCommand<S extends object>(
  s: Services,
  user: SessionUser,
  stream: string,
  action: string,
  input: CommandInput,
): Promise<S> {
  const type = recordTypeOf(stream) as RecordType<S> | undefined;
  const decl = type?.lifecycle as Lifecycle<S> | undefined;
  if (!type || !decl) throw errors.notFound('record');
  // every write of the command and of what it causes lands all, or is completed at the next start
  return journaled(s, () => commandBody<S>(s, user, stream, action, input, type, decl));
}

function commandBody<S extends object>(
  s: Services,
  user: SessionUser,
  stream: string,
  action: string,
  input: CommandInput,
  type: RecordType<S>,
  decl: Lifecycle<S>,
): Promise<S> {
  return asUser(user, async () => {
    // the state at the head, from the replay cache when it holds that head (by version and hash),
    // else replayed: a fresh replay re-verified the seal of every signature in the stream's history
    // on every command (a maintained instrument's hundredth signature replayed 99 before it)
    const head = (await s.ledger.head(stream))?.version ?? 0;
    const state = head ? await s.projector.stateAt<S>(stream, head) : undefined;
    if (!state) throw errors.notFound('record');
    const t = decl.transitions.find((x) => x.name === action);
    if (!t) throw errors.notFound(`action "${action}"`);
    const c: CommandContext<S> = { s, user, stream, id: streamId(stream), state, input };
    if (input.onBehalfOf !== undefined) {
      // only a signature is given on someone's behalf (the signature names both people)
      if (typeof input.onBehalfOf !== 'string' || !t.signature || !resolveDelegation)
        throw errors.validation('body.onBehalfOf', {
          en: 'only a signature can be given on behalf of someone',
          zh: '只有签名可以代表他人进行',
        });
      if (t.signature.personal) throw new AppError('PERSONAL_SIGNATURE', { meaning: t.signature.meaning });
      c.onBehalfOf = await resolveDelegation(s, user, input.onBehalfOf);
    }
    const refusal = refusalFor(decl, action, state, c);
    if (refusal) throw refusal;
    const plan = await t.prepare?.(c);
    checkInput(t, input);
    const proposal = t.event?.(state, plan, c) ?? null;
    if (t.signature) await signed(s, type, decl, t, c, plan, proposal, head);
    else {
      if (input.version !== undefined && input.version !== head) throw errors.staleVersion(input.version, head);
      await t.allocate?.(c, plan);
      if (proposal) await appendJudged(s, type, decl, t, c, plan, head);
    }
    const result = (await s.projector.stateAt<S>(stream))!;
    await t.after?.({ ...c, state: result }, result, plan);
    return (await s.projector.stateAt<S>(stream))!;
  });
}

/** The user's actions run with them as the request's actor (the ledger stamps every event with it). */
export function asUser<T>(user: SessionUser, fn: () => Promise<T>): Promise<T> {
  const store = requestContext.getStore();
  // a command started inside another (an NC's scrap on its lot, an inspection's decision on each lot)
  // shares its signing state, so the signer who proved their credentials once is not asked again
  const signing = store?.signing ?? { verified: null };
  return requestContext.run(
    { requestId: store?.requestId ?? 'command', locale: store?.locale ?? 'en-US', actor: actorOf(user), signing },
    fn,
  );
}

function checkInput<S>(t: Transition<S>, input: CommandInput) {
  if (t.needsReason && !input.reason)
    throw errors.validation('body.reason', { en: 'a reason is required', zh: '需要填写理由' });
  if (t.signature && !input.password)
    throw errors.validation('body.password', { en: 'your password is required to sign', zh: '签名需要输入您的密码' });
}

/**
 * A signed action. With a proposal (the values the signer vouches for): the signing policy is
 * judged on the state the proposal would create, the proposal must land on the version the user
 * saw, and the signature binds exactly the version it created. Without one, the signature binds
 * the version the user saw (an older version is accepted while its content is unchanged).
 */
async function signed<S extends object>(
  s: Services,
  type: RecordType<S>,
  decl: Lifecycle<S>,
  t: Transition<S>,
  c: CommandContext<S>,
  plan: unknown,
  proposal: Change | null,
  head: number,
) {
  const meaning = t.signature!.meaning;
  const { user, stream, input } = c;
  const version = input.version ?? head;
  if (proposal) {
    if (version !== head) throw errors.staleVersion(version, head);
    const judged = c.onBehalfOf?.user ?? user;
    const refusal = signingRefusal(type, judged, meaning, proposed(type, c.state, proposal, stream, head, user));
    if (refusal) throw refusal;
  } else {
    await signingPrecheck(s, user, stream, { meaning, version, reason: input.reason, onBehalfOf: c.onBehalfOf });
  }
  // Credentials once per command tree (21 CFR 11.200(a)(1)): a one-time code is spent once, so a
  // nested signature by the same signer (the lot's scrap an NC disposition causes) must not ask again.
  const signing = requestContext.getStore()?.signing;
  if (signing?.verified !== user.id) {
    const account = await getUser(s, user.id);
    await checkCredentials(s, account, input.password!, input.totp, { kind: 'signature', stream, meaning });
    if (signing) Object.assign(signing, { verified: user.id, account });
  }
  await t.allocate?.(c, plan);
  let at = version;
  if (proposal) {
    at = await appendJudged(s, type, decl, t, c, plan, head, (st, change, v) => {
      const r = signingRefusal(type, c.onBehalfOf?.user ?? user, meaning, proposed(type, st, change, stream, v, user));
      if (r) throw r;
    });
  }
  await appendSignature(s, user, stream, { meaning, version: at, reason: input.reason, onBehalfOf: c.onBehalfOf });
}

/**
 * Appends the transition's event where it lands: refusal, plan checks and the event itself are
 * judged again on that state. The first attempt must land on the version the command read.
 */
async function appendJudged<S extends object>(
  s: Services,
  type: RecordType<S>,
  decl: Lifecycle<S>,
  t: Transition<S>,
  c: CommandContext<S>,
  plan: unknown,
  head: number,
  judge?: (state: S, change: Change, version: number) => void,
): Promise<number> {
  const e = await mutate<S>(s, c.stream, undefined, (state, version) => {
    if (!state) throw errors.notFound('record');
    if (version !== head && c.input.version !== undefined) throw errors.staleVersion(c.input.version, version);
    const refusal = refusalFor(decl, t.name, state, c);
    if (refusal) throw refusal;
    t.recheck?.(state, plan, { ...c, state });
    const change = t.event?.(state, plan, { ...c, state }) ?? null;
    if (change) judge?.(state, change, version);
    // an event its context does not declare is a programming error, never written (500, logged)
    const problem = change && type.events ? type.events.problem(change) : null;
    if (problem) throw new Error(`undeclared event on ${c.stream}: ${problem}`);
    return change;
  });
  if (!e) throw new AppError('ILLEGAL_TRANSITION', { action: t.name, state: 'changed' });
  return e.version;
}

/** The state a proposal would create (what the signature over it will be judged on). */
function proposed<S extends object>(
  type: RecordType<S>,
  state: S,
  change: Change,
  stream: string,
  version: number,
  user: SessionUser,
): S {
  return type.reduce(state, {
    stream,
    version: version + 1,
    type: change.type,
    at: nowIso(),
    actor: actorOf(user),
    data: change.data,
    ...(change.reason ? { reason: change.reason } : {}),
    prevHash: '',
    hash: '',
  });
}
