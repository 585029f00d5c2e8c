import type { Services } from '../../platform/services.ts';
import { SYSTEM_ACTOR, type Actor } from '../../platform/context.ts';
import { domainError, errors } from '../../platform/errors.ts';
import { streamOf } from '../../records/registry.ts';
import { hasPermission } from '../../identity/roles.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { usersCollection } from '../../identity/userService.ts';
import { signRecord } from '../../records/signing.ts';
import { isRace } from '../documents/numbering.ts';
import { DOCUMENTS, addDays, todayUtc, revisionOf, type DocumentDoc, type DocumentState } from '../documents/document.record.ts';
import { TRAININGS, trainingId, trainingRecord, type TrainingDoc } from './training.record.ts';

export const TRAINING_DAYS = 30;
const trainings = (s: Services) => s.db.collection<TrainingDoc>(TRAININGS);
const documents = (s: Services) => s.db.collection<DocumentDoc>(DOCUMENTS);

/**
 * Assigns the document's effective revision to every active person named as a trainee or holding
 * a named role. Idempotent (each training is version 1 of its own stream), so a crash halfway is
 * finished by the next sweep; `document.trainingAssigned` marks the revision done.
 */
export async function assignTraining(s: Services, d: DocumentState, actor: Actor = SYSTEM_ACTOR): Promise<number> {
  const rev = revisionOf(d, d.effective);
  if (!rev || d.trainingAssignedFor === rev.revision) return 0;
  const people = await usersCollection(s).find({ status: { $ne: 'disabled' }, $or: [{ _id: { $in: d.trainees.users } }, { roles: { $in: d.trainees.roles } }] }).toArray();
  const due = addDays(todayUtc(), TRAINING_DAYS);
  let created = 0;
  for (const p of people) {
    const stream = streamOf('training', trainingId(d.id, rev.revision, p._id));
    try {
      await s.ledger.append(stream, 'training.assigned', { documentId: d.id, number: d.number, title: d.title, revision: rev.revision,
        file: rev.file?.sha256 ?? null, user: { id: p._id, name: p.fullName }, due }, { expectedVersion: 0, actor });
      created++;
    } catch (err) {
      if (!isRace(err)) throw err; // assigned already (a sweep after a crash)
    }
  }
  await s.ledger.appendWithRetry(streamOf('document', d.id), 'document.trainingAssigned', { revision: rev.revision, trainings: people.length }, { actor });
  return created;
}

export async function getTraining(s: Services, id: string): Promise<TrainingDoc> {
  const t = await trainings(s).findOne({ _id: id });
  if (!t) throw errors.notFound('training');
  return t;
}

/** Completes a training with the trainee's "read and understood" signature (re-authenticated). */
export async function completeTraining(s: Services, user: SessionUser, id: string, cred: { password: string; totp?: string }) {
  const t = await getTraining(s, id);
  const refusal = trainingRecord.canSign!(user, 'read_and_understood', t);
  if (refusal) throw refusal;
  const d = await documents(s).findOne({ _id: t.documentId });
  if (!d || d.effective !== t.revision) {
    throw domainError('TRAINING_NOT_CURRENT', 'This revision is no longer effective; train on the current one.', '该版本已不再生效,请培训当前版本。');
  }
  await signRecord(s, user, streamOf('training', id), { meaning: 'read_and_understood', password: cred.password, totp: cred.totp, version: t.ledgerVersion });
  return getTraining(s, id);
}

/** Is `userId` trained on the current effective revision of `documentId`? (asked by production) */
export async function isTrained(s: Services, userId: string, documentId: string): Promise<{ trained: boolean; revision: string | null }> {
  const d = await documents(s).findOne({ _id: documentId }, { projection: { effective: 1 } });
  if (!d?.effective) return { trained: false, revision: null };
  const t = await trainings(s).findOne({ _id: trainingId(documentId, d.effective, userId) });
  return { trained: t?.status === 'done', revision: d.effective };
}

export async function listTrainings(s: Services, caller: SessionUser, filter: { user?: string; document?: string }) {
  const all = hasPermission(caller, 'training.read_all');
  if (filter.user && filter.user !== caller.id && !all) throw errors.forbidden("read other people's training records");
  const user = filter.user ?? (all && filter.document ? undefined : caller.id);
  const q: Record<string, unknown> = {};
  if (user) q.userId = user;
  if (filter.document) q.documentId = filter.document;
  return trainings(s).find(q).sort({ assignedAt: -1 }).limit(1000).toArray();
}

/** Open trainings of `userId` on revisions that are still effective (superseded ones no longer count). */
export async function openTrainingsFor(s: Services, userId: string): Promise<TrainingDoc[]> {
  const open = await trainings(s).find({ userId, status: 'open' }).toArray();
  if (!open.length) return [];
  const docs = await documents(s).find({ _id: { $in: [...new Set(open.map((t) => t.documentId))] } }, { projection: { effective: 1 } }).toArray();
  const effective = new Map(docs.map((d) => [d._id, d.effective]));
  return open.filter((t) => effective.get(t.documentId) === t.revision);
}

export async function trainingsOfDocument(s: Services, documentId: string): Promise<TrainingDoc[]> {
  return trainings(s).find({ documentId }).sort({ revision: -1, userName: 1 }).toArray();
}
