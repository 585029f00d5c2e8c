import type { Db } from 'mongodb';
import { declareIndexes, isDuplicateKey } from '../platform/db/mongo.ts';
import { nowIso } from '../platform/clock.ts';

// RFC 6238 §5.2: "the verifier MUST NOT accept the second attempt of the OTP after the successful
// validation has been issued for the first OTP". Each accepted time step is claimed once per
// user (a unique _id makes two simultaneous claims impossible), and a code from a step at or
// before the last one accepted is refused too, so an older code seen over a shoulder is useless
// once a newer one was used. Operational state, like sessions: the sign-in or signature that
// used the code is the ledger's record of it.
const COLLECTION = 'totp_steps';
interface UsedStep {
  _id: string;
  factor: string;
  step: number;
  at: string;
}
declareIndexes(COLLECTION, [{ key: { factor: 1, step: -1 }, name: 'factor_step' }]);

/**
 * Claims `step` for one enrolled secret (`factor`: the fingerprint the ledger holds for it, so a
 * new enrolment starts afresh); false when that step, or a later one, was already used.
 */
export async function claimTotpStep(db: Db, factor: string, step: number): Promise<boolean> {
  const col = db.collection<UsedStep>(COLLECTION);
  if (await col.findOne({ factor, step: { $gte: step } })) return false;
  try {
    await col.insertOne({ _id: `${factor}:${step}`, factor, step, at: nowIso() });
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}
