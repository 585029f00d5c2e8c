import type { LedgerEvent } from '../../ledger/event.ts';
import { AppError, domainError } from '../../platform/errors.ts';
import { defineRecordType } from '../../records/registry.ts';
import { declareIndexes } from '../../platform/db/mongo.ts';
import { hasPermission } from '../../identity/roles.ts';
import type { Projected } from '../../records/projector.ts';
import { SIGNATURE_EVENT, type SignatureData } from '../../../../signatures/esign/service.ts';
import { signatureCounts } from '../../../../signatures/esign/seal.ts';

// A training record: one person, one effective revision of one document, stream
// `training:<documentId>.<revision>.<userId>`. It is completed by that person's e-signature
// "read and understood", bound to the revision's content file.
export const TRAINING_EVENTS = [
  'training.assigned', // {documentId, number, title, revision, file, user, due}
  SIGNATURE_EVENT, // read_and_understood
] as const;

export interface TrainingState {
  id: string; documentId: string; number: string; title: { zh: string; en: string }; revision: string; file: string | null;
  userId: string; userName: string; assignedAt: string; due: string; status: 'open' | 'done';
  completedAt: string | null; signatureId: string | null;
}
export type TrainingDoc = Projected<TrainingState>;

export const TRAININGS = 'trainings';
declareIndexes(TRAININGS, [
  { key: { userId: 1, status: 1 }, name: 'user_status' }, { key: { documentId: 1, revision: 1 }, name: 'document_revision' },
]);

export const trainingId = (documentId: string, revision: string, userId: string) => `${documentId}.${revision}.${userId}`;

/** The trainee signs that they read this revision of this content. */
const trainingContent = (s: TrainingState) => ({ documentId: s.documentId, number: s.number, revision: s.revision, file: s.file, userId: s.userId });

export const trainingRecord = defineRecordType<TrainingState>({
  type: 'training',
  collection: TRAININGS,
  reduce(s, e: LedgerEvent) {
    const d = e.data as Record<string, any>;
    if (e.type === 'training.assigned') {
      return { id: e.stream.slice('training:'.length), documentId: d.documentId, number: d.number, title: d.title, revision: d.revision, file: d.file,
        userId: d.user.id, userName: d.user.name, assignedAt: e.at, due: d.due, status: 'open', completedAt: null, signatureId: null };
    }
    if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before training.assigned`);
    // only the trainee's own signature that verifies completes it (a copied or forged one counts for nothing)
    if (e.type === SIGNATURE_EVENT && (d as SignatureData).meaning === 'read_and_understood' && (d as SignatureData).signer?.id === s.userId
      && signatureCounts(s, e, trainingContent)) {
      return { ...s, status: 'done', completedAt: (d as SignatureData).signedAt, signatureId: (d as SignatureData).signatureId };
    }
    return s;
  },
  content: trainingContent,
  canSign(user, meaning, s) {
    if (meaning !== 'read_and_understood') return new AppError('SIGNATURE_NOT_ALLOWED', { meaning });
    if (user.id !== s.userId) return domainError('NOT_YOUR_TRAINING', 'This training is assigned to someone else.', '该培训分配给了其他人。', 403);
    if (s.status === 'done') return domainError('TRAINING_ALREADY_DONE', 'This training is already complete.', '该培训已完成。');
    return null;
  },
  canRead: (user, s) => user.id === s.userId || hasPermission(user, 'training.read_all'),
});
