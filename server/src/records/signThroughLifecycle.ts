import type { Services } from '../platform/services.ts';
import { AppError, errors } from '../platform/errors.ts';
import type { SessionUser } from '../identity/sessionUser.ts';
import type { LedgerEvent } from '../ledger/event.ts';
import type { SignRequest } from '../../../signatures/esign/service.ts';
import { signaturesOf, type SignatureData } from './signing.ts';
import { runCommand } from './command.ts';
import { transitionForMeaning } from './lifecycle.ts';
import { recordTypeOf } from './registry.ts';

/**
 * POST /records/{stream}/signatures: a signature given by meaning ends in the same command path
 * as the record's own action route: the meaning names the transition it performs on this state.
 */
export async function signThroughLifecycle(
  s: Services,
  user: SessionUser,
  stream: string,
  req: Omit<SignRequest, 'onBehalfOf'> & { onBehalfOf?: string | undefined },
): Promise<LedgerEvent<SignatureData>> {
  const type = recordTypeOf(stream);
  const state = type ? await s.projector.stateAt<object>(stream) : undefined;
  if (!type || !state) throw errors.notFound('record');
  // a record type without a lifecycle (user accounts, grants, exports…) takes no signature at all
  const t = type.lifecycle && transitionForMeaning(type.lifecycle, req.meaning, state);
  if (!t) throw new AppError('SIGNATURE_NOT_ALLOWED', { meaning: req.meaning });
  await runCommand(s, user, stream, t.name, { ...req });
  const mine = (await signaturesOf(s, stream)).filter(
    (e) => e.data.signer.id === user.id && e.data.meaning === req.meaning,
  );
  return mine.at(-1)!;
}
