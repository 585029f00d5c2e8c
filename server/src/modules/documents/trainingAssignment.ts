import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { SYSTEM_ACTOR } from '../../platform/context.ts';
import { streamOf } from '../../records/registry.ts';
import type { DocumentState, Revision } from './document.record.ts';
import { documentEvents } from './events.ts';

/**
 * Who must read a revision once it is effective (ISO 13485:2016 6.2, 4.2.4): the training context
 * assigns it and says how many people must train. It is handed in at boot (boot.ts) so that
 * documents never import training (training reads documents: no module cycle).
 */
export type TrainingAssigner = (s: Services, d: DocumentState, revision: Revision) => Promise<number>;
let assigner: TrainingAssigner | null = null;
export function setTrainingAssigner(assign: TrainingAssigner) {
  assigner = assign;
}

/**
 * Assigns training on the document's effective revision unless that is done already, then marks
 * it done on the document (`document.trainingAssigned`, by the system). Run after a signature
 * makes a revision effective, and by the effective-date sweep (which also finishes a crash halfway).
 */
export async function assignTrainingOnEffective(s: Services, d: DocumentState): Promise<void> {
  const rev = d.effective ? d.revisions.find((r) => r.revision === d.effective) : undefined;
  if (!assigner || !rev || d.trainingAssignedFor === rev.revision) return;
  const trainings = await assigner(s, d, rev);
  const assigned = documentEvents.change('document.trainingAssigned', { revision: rev.revision, trainings });
  await s.ledger.appendWithRetry(streamOf('document', d.id), assigned.type, assigned.data, { actor: SYSTEM_ACTOR });
}

/**
 * Called when a user opens a revision's content (the trainee's view, recorded by the training
 * context before "read and understood" may be signed); handed in by training's routes so that
 * documents never import training.
 */
export type ContentOpener = (s: Services, user: SessionUser, documentId: string, revision: string) => Promise<void>;
let opener: ContentOpener | null = null;
export function setContentOpener(open: ContentOpener) {
  opener = open;
}
export const contentOpened: ContentOpener = async (s, user, documentId, revision) => {
  await opener?.(s, user, documentId, revision);
};
