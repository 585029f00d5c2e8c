import type { SessionUser } from '../../identity/sessionUser.ts';
import { availableActions } from '../../records/lifecycle.ts';
import type { TrainingDoc } from './training.record.ts';
import { trainingLifecycle } from './training.lifecycle.ts';

// The only shapes of a training record that leave the server.
/** One training with what this user may do on it now (`effective`: the document's effective revision). */
export function presentTraining(t: TrainingDoc, user: SessionUser, effective: string | null | undefined) {
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
    completedAt: t.completedAt,
    signatureId: t.signatureId,
    version: t.ledgerVersion,
    actions: availableActions(trainingLifecycle, { ...t, revisionEffective: effective === t.revision }, user),
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
  };
}
