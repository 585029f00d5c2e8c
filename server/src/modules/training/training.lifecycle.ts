import type { Services } from '../../platform/services.ts';
import type { Lifecycle, Precondition } from '../../records/lifecycle.ts';
import { refusal } from '../../records/refusal.ts';
import { documentsCollection } from '../documents/queries.ts';
import type { TrainingState } from './training.record.ts';
import { TrainingErrors } from './errors.ts';

// A training record's lifecycle, declared once: the trainee completes it with the e-signature
// "read and understood" (21 CFR 11.50: the meaning shown with the signature), on a revision that
// is still effective. The API's `actions`, the command path (records/command.ts), the
// e-signature policy (canSign, derived) and POST /records/training:…/signatures all read this.

/** A training as its GET shows it: with whether its revision is still the document's effective one. */
export type TrainingView = TrainingState & { revisionEffective?: boolean };

const NOT_CURRENT = refusal(TrainingErrors.TRAINING_NOT_CURRENT());

/** Whether the training's revision is still its document's effective one (read from the document register). */
export async function revisionStillEffective(s: Services, t: TrainingState): Promise<boolean> {
  const d = await documentsCollection(s).findOne({ _id: t.documentId }, { projection: { effective: 1 } });
  return d?.effective === t.revision;
}

/**
 * Training on a superseded or obsoleted revision can no longer be completed. The record itself
 * does not know (the document moves on, the training stream does not): a GET judges it on the
 * view (`revisionEffective`), the command in `prepare`, from the document register.
 */
const stillEffective: Precondition<TrainingView> = {
  refusal: NOT_CURRENT,
  holds: (t) => t.revisionEffective !== false,
};

export const trainingLifecycle: Lifecycle<TrainingView> = {
  record: 'training',
  initial: 'open',
  states: ['open', 'done'],
  final: ['done'],
  transitions: [
    {
      name: 'complete',
      from: ['open'],
      to: 'done',
      signature: { meaning: 'read_and_understood' },
      // separation of duties: only the trainee can say they read and understood it, nobody on their behalf
      who: (u, t) => u.id === t.userId,
      whoRefusal: refusal(TrainingErrors.NOT_YOUR_TRAINING()),
      preconditions: [stillEffective],
      prepare: async (c) => {
        if (!(await revisionStillEffective(c.s, c.state))) throw TrainingErrors.TRAINING_NOT_CURRENT();
      },
    },
  ],
  stateOf: (t) => t.status,
  wrongState: () => refusal(TrainingErrors.TRAINING_ALREADY_DONE()),
};
