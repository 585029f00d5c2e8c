import type { SessionUser } from '../../identity/sessionUser.ts';
import type { Services } from '../../platform/services.ts';
import { explainedActions } from '../../records/lifecycle.ts';
import type { TrainingDoc } from './training.record.ts';
import { MIGRATED_COMPLETION, RECORD_OPENING, trainingLifecycle } from './training.lifecycle.ts';

// The only shapes of a training record that leave the server.
/** One training with what this user may do on it now (`effective`: the document's effective revision). */
export async function presentTraining(
  s: Services,
  t: TrainingDoc,
  user: SessionUser,
  effective: string | null | undefined,
) {
  const view = { ...t, openedAt: t.openedAt ?? null, revisionEffective: effective === t.revision };
  // "complete" carries `blockedBy` until the file was opened; the opening itself is taken by opening the file, not a button
  const actions = (await explainedActions(trainingLifecycle, s, view, user)).filter(
    (a) => a.action !== RECORD_OPENING && a.action !== MIGRATED_COMPLETION,
  );
  return {
    id: t._id,
    userId: t.userId,
    name: t.userName,
    documentId: t.documentId,
    number: t.number,
    title: t.title,
    revision: t.revision,
    status: t.status,
    assignedAt: t.assignedAt,
    due: t.due,
    openedAt: t.openedAt ?? null,
    completedAt: t.completedAt,
    signatureId: t.signatureId,
    migrated: t.migrated ?? null,
    version: t.ledgerVersion,
    actions,
  };
}

/** One row of a document's training status (GET /documents/:id/training). */
export function presentTrainingStatus(t: TrainingDoc) {
  return {
    id: t._id,
    userId: t.userId,
    name: t.userName,
    revision: t.revision,
    status: t.status,
    completedAt: t.completedAt,
    signatureId: t.signatureId,
    migrated: t.migrated ?? null,
  };
}
