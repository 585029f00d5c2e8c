import type { LedgerEvent } from '../../ledger/event.ts';
import { defineRecordType } from '../../records/registry.ts';
import { declareIndexes } from '../../platform/db/mongo.ts';
import { hasPermission } from '../../identity/roles.ts';
import type { Projected } from '../../records/projector.ts';
import { SIGNATURE_EVENT } from '../../records/events.ts';
import { signatureCounts } from '../../../../signatures/esign/seal.ts';
import { trainingEvents } from './events.ts';
import { trainingLifecycle } from './training.lifecycle.ts';

// A training record: one person, one effective revision of one document, stream
// `training:<documentId>.<revision>.<userId>`. It is completed by that person's e-signature
// "read and understood", bound to the revision's content file. Its events: events.ts.
export interface TrainingState {
  id: string;
  documentId: string;
  number: string;
  title: { zh: string; en: string };
  revision: string;
  file: string | null;
  userId: string;
  userName: string;
  assignedAt: string;
  /** When the trainee first opened the revision's content (null: not yet; "read and understood" waits for it). */
  openedAt: string | null;
  due: string;
  status: 'open' | 'done';
  completedAt: string | null;
  signatureId: string | null;
  /** Taken over from the legacy register (issue 14 item 3): its source and original date; no signature. */
  migrated?: {
    completedOn: string;
    note: string;
    source: { batch: string; file: string; sheet: string; row: number };
  } | null;
}
export type TrainingDoc = Projected<TrainingState>;

export const TRAININGS = 'trainings';
declareIndexes(TRAININGS, [
  { key: { userId: 1, status: 1 }, name: 'user_status' },
  { key: { documentId: 1, revision: 1 }, name: 'document_revision' },
]);

export const trainingId = (documentId: string, revision: string, userId: string) =>
  `${documentId}.${revision}.${userId}`;

/** The trainee signs that they read this revision of this content. */
const trainingContent = (s: TrainingState) => ({
  documentId: s.documentId,
  number: s.number,
  revision: s.revision,
  file: s.file,
  userId: s.userId,
});

function reduce(s: TrainingState | undefined, event: LedgerEvent): TrainingState {
  const e = trainingEvents.typed(event);
  if (e.type === 'training.assigned') {
    const d = e.data;
    return {
      id: e.stream.slice('training:'.length),
      documentId: d.documentId,
      number: d.number,
      title: d.title,
      revision: d.revision,
      file: d.file,
      userId: d.user.id,
      userName: d.user.name,
      assignedAt: e.at,
      openedAt: null,
      due: d.due,
      status: 'open',
      completedAt: null,
      signatureId: null,
    };
  }
  if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before training.assigned`);
  if (e.type === 'training.document_opened') return s.openedAt ? s : { ...s, openedAt: e.at };
  if (e.type === 'training.migrated')
    return s.status === 'done' ? s : { ...s, status: 'done', completedAt: e.data.completedOn, migrated: e.data };
  // only the trainee's own signature that verifies completes it (a copied or forged one counts for nothing)
  if (
    e.type === SIGNATURE_EVENT &&
    e.data.meaning === 'read_and_understood' &&
    e.data.signer?.id === s.userId &&
    signatureCounts(s, event, trainingContent)
  ) {
    return { ...s, status: 'done', completedAt: e.data.signedAt, signatureId: e.data.signatureId };
  }
  return s;
}

export const trainingRecord = defineRecordType<TrainingState>({
  type: 'training',
  collection: TRAININGS,
  reduce,
  content: trainingContent,
  events: trainingEvents,
  lifecycle: trainingLifecycle, // the one policy: completion, who and when (canSign is derived from it)
  canRead: (user, s) => user.id === s.userId || hasPermission(user, 'training.read_all'),
});
