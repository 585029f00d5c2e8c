import type { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import type { Blocker, Lifecycle, Precondition } from '../../records/lifecycle.ts';
import { refusal } from '../../records/refusal.ts';
import { documentsCollection } from '../documents/queries.ts';
import type { TrainingState } from './training.record.ts';
import { TrainingErrors } from './errors.ts';
import { trainingEvents } from './events.ts';

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

/**
 * "Read and understood" needs the revision opened first (issue 15 item 7): a signature on a file
 * never opened is no evidence of training (ISO 13485:2016 6.2 d)/e), 21 CFR 820.25(b)). Judged
 * in `prepare` (409 DOCUMENT_NOT_OPENED) and shown before signing as the action's `blockedBy`.
 */
export function notOpenedBlocker(t: TrainingState): Blocker | null {
  if (t.openedAt) return null;
  return {
    code: 'DOCUMENT_NOT_OPENED',
    en: `Open ${t.number} rev ${t.revision} first: "read and understood" can only be signed after it was opened.`,
    zh: `请先打开 ${t.number} ${t.revision} 版:只有打开后才能签署“已阅读并理解”。`,
    link: { route: 'document', id: t.documentId },
  };
}

/** The action the content route takes when the trainee opens the file; not a button (presenter.ts hides it). */
export const RECORD_OPENING = 'record_opening';

/** The migration's action: a completion recorded from the legacy register; not a button (presenter.ts hides it). */
export const MIGRATED_COMPLETION = 'migrated_completion';

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
      signature: { meaning: 'read_and_understood', personal: true },
      // separation of duties: only the trainee can say they read and understood it, nobody on their behalf
      who: (u, t) => u.id === t.userId,
      whoRefusal: refusal(TrainingErrors.NOT_YOUR_TRAINING()),
      preconditions: [stillEffective],
      blockedBy: async (_s, t) => notOpenedBlocker(t),
      prepare: async (c) => {
        if (!(await revisionStillEffective(c.s, c.state))) throw TrainingErrors.TRAINING_NOT_CURRENT();
        if (!c.state.openedAt) throw TrainingErrors.DOCUMENT_NOT_OPENED();
      },
    },
    {
      // unsigned: the trainee opened the revision's content (GET /documents/:id/revisions/:rev/content)
      name: RECORD_OPENING,
      from: ['open'],
      who: (u, t) => u.id === t.userId,
      whoRefusal: refusal(TrainingErrors.NOT_YOUR_TRAINING()),
      preconditions: [{ refusal: refusal(TrainingErrors.ALREADY_OPENED()), holds: (t) => !t.openedAt }],
      event: (t) => trainingEvents.change('training.document_opened', { revision: t.revision, file: t.file }),
    },
    {
      // unsigned, by the importer (issue 14 item 3): done as the legacy record says, no signature claimed
      name: MIGRATED_COMPLETION,
      from: ['open'],
      to: 'done',
      permission: 'migration.run',
      needsValues: true,
      event: (_t, _p, c) =>
        trainingEvents.change(
          'training.migrated',
          c.input.migrated as z.input<(typeof trainingEvents.schemas)['training.migrated']>,
        ),
    },
  ],
  stateOf: (t) => t.status,
  wrongState: () => refusal(TrainingErrors.TRAINING_ALREADY_DONE()),
};
