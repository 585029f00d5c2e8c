import type { TrainingDoc } from './training.record.ts';

// The only shape of a training record that leaves the server.
export function presentTraining(t: TrainingDoc) {
  return {
    id: t._id, userId: t.userId, name: t.userName, documentId: t.documentId, number: t.number, title: t.title, revision: t.revision,
    status: t.status, assignedAt: t.assignedAt, due: t.due, completedAt: t.completedAt, signatureId: t.signatureId, version: t.ledgerVersion,
  };
}

/** One row of a document's training status (GET /documents/:id/training). */
export function presentTrainingStatus(t: TrainingDoc) {
  return { id: t._id, userId: t.userId, name: t.userName, revision: t.revision, status: t.status, completedAt: t.completedAt, signatureId: t.signatureId };
}
