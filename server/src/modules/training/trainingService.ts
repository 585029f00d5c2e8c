import type { Services } from '../../platform/services.ts';
import { SYSTEM_ACTOR } from '../../platform/context.ts';
import { AppError, errors } from '../../platform/errors.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import { streamOf } from '../../records/registry.ts';
import { runCommand } from '../../records/command.ts';
import { isRace } from '../../records/ledgerOps.ts';
import { hasPermission } from '../../identity/roles.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { usersCollection } from '../../identity/userService.ts';
import { documentsCollection } from '../documents/queries.ts';
import type { DocumentState, Revision } from '../documents/document.record.ts';
import { TRAININGS, trainingId, type TrainingDoc } from './training.record.ts';
import { trainingEvents } from './events.ts';
import { MIGRATED_COMPLETION, RECORD_OPENING } from './training.lifecycle.ts';
import { asUser } from '../../records/command.ts';

export const TRAINING_DAYS = 30;
const trainings = (s: Services) => s.db.collection<TrainingDoc>(TRAININGS);

/**
 * Assigns an effective revision to every active person the document names as a trainee or who
 * holds a named role; returns how many people must train. Idempotent (each training is version 1
 * of its own stream), so a crash halfway is finished by the next sweep. Documents call it when a
 * revision becomes effective (registered at boot: documents/trainingAssignment.ts).
 */
/**
 * The one way a training is opened: `training.assigned`, version 1 of the stream named by document,
 * revision and person (so nobody is assigned the same revision twice). Release, bulk assignment and
 * migration all append this.
 */
export function assignment(
  d: Pick<DocumentState, 'id' | 'number' | 'title'>,
  rev: Pick<Revision, 'revision' | 'file'>,
  person: { id: string; name: string },
  due: string,
) {
  const assigned = trainingEvents.change('training.assigned', {
    documentId: d.id,
    number: d.number,
    title: d.title,
    revision: rev.revision,
    file: rev.file?.sha256 ?? null,
    user: person,
    due,
  });
  return { stream: streamOf('training', trainingId(d.id, rev.revision, person.id)), assigned };
}

export async function assignTraining(s: Services, d: DocumentState, rev: Revision): Promise<number> {
  const people = await usersCollection(s)
    .find({
      status: { $ne: 'disabled' },
      $or: [{ _id: { $in: d.trainees.users } }, { roles: { $in: d.trainees.roles } }],
    })
    .toArray();
  const due = addDays(todayUtc(), TRAINING_DAYS);
  for (const p of people) {
    const { stream, assigned } = assignment(d, rev, { id: p._id, name: p.fullName }, due);
    try {
      await s.ledger.append(stream, assigned.type, assigned.data, {
        expectedVersion: 0,
        actor: SYSTEM_ACTOR,
      });
    } catch (err) {
      if (!isRace(err)) throw err; // assigned already (a sweep after a crash)
    }
  }
  return people.length;
}

export async function getTraining(s: Services, id: string): Promise<TrainingDoc> {
  const t = await trainings(s).findOne({ _id: id });
  if (!t) throw errors.notFound('training');
  return t;
}

/**
 * Completes a training with the trainee's "read and understood" signature (training.lifecycle.ts),
 * through the one command path; refused (DOCUMENT_NOT_OPENED) until the trainee opened the file.
 */
export async function signTraining(
  s: Services,
  user: SessionUser,
  id: string,
  input: { password: string; totp?: string; version?: number },
) {
  await getTraining(s, id); // an unknown training is a 404 before anything else
  await runCommand(s, user, streamOf('training', id), 'complete', input);
  return getTraining(s, id);
}

/**
 * A trainee who opens the revision's content and then signs, in one go (the demo seed's people;
 * the API never does this for a user: they open the file through the content route).
 */
export async function completeTraining(
  s: Services,
  user: SessionUser,
  id: string,
  input: { password: string; totp?: string; version?: number },
) {
  const t = await getTraining(s, id);
  await recordDocumentOpened(s, user, t.documentId, t.revision);
  const { version: _seen, ...rest } = input; // the opening moved the version on
  return signTraining(s, user, id, rest);
}

/** Is `userId` trained on the current effective revision of `documentId`? (asked by production) */
export async function isTrained(
  s: Services,
  userId: string,
  documentId: string,
): Promise<{ trained: boolean; revision: string | null }> {
  const d = await documentsCollection(s).findOne({ _id: documentId }, { projection: { effective: 1 } });
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

/** The effective revision of each document these trainings are on (one read for a whole list). */
export async function effectiveRevisions(s: Services, list: TrainingDoc[]): Promise<Map<string, string | null>> {
  const ids = [...new Set(list.map((t) => t.documentId))];
  if (!ids.length) return new Map();
  const docs = await documentsCollection(s)
    .find({ _id: { $in: ids } }, { projection: { effective: 1 } })
    .toArray();
  return new Map(docs.map((d) => [d._id, d.effective]));
}

/** Open trainings of `userId` on revisions that are still effective (superseded ones no longer count). */
export async function openTrainingsFor(s: Services, userId: string): Promise<TrainingDoc[]> {
  const open = await trainings(s).find({ userId, status: 'open' }).toArray();
  const effective = await effectiveRevisions(s, open);
  return open.filter((t) => effective.get(t.documentId) === t.revision);
}

export async function trainingsOfDocument(s: Services, documentId: string): Promise<TrainingDoc[]> {
  return trainings(s).find({ documentId }).sort({ revision: -1, userName: 1 }).toArray();
}

/**
 * Records that `user` opened revision `revision` of `documentId` on their open training for it
 * (called by the document content route). Only the first opening is written; nobody else's
 * download, a closed training or no training at all writes nothing.
 */
export async function recordDocumentOpened(s: Services, user: SessionUser, documentId: string, revision: string) {
  const id = trainingId(documentId, revision, user.id);
  const t = await trainings(s).findOne({ _id: id }, { projection: { status: 1, openedAt: 1 } });
  if (!t || t.status !== 'open' || t.openedAt) return;
  try {
    await runCommand(s, user, streamOf('training', id), RECORD_OPENING, {});
  } catch (err) {
    if (!isRace(err) && !(err instanceof AppError && err.code === 'ALREADY_OPENED')) throw err;
  }
}

/**
 * A completion taken over from the legacy training register by a data migration (issue 14 item
 * 3): the training on that revision is assigned if it is not yet (as the importer, due on the
 * completion date), then completed by the `migrated_completion` action, which records the source
 * row and the original date and no signature. The caller has checked the person, the revision and
 * the date; returns the training's stream.
 */
export async function recordMigratedTraining(
  s: Services,
  user: SessionUser,
  m: {
    document: Pick<DocumentState, 'id' | 'number' | 'title'>;
    revision: Pick<Revision, 'revision' | 'file'>;
    person: { id: string; name: string };
    completedOn: string;
    note: string;
    source: { batch: string; file: string; sheet: string; row: number; sha256: string };
  },
): Promise<string> {
  const { stream, assigned } = assignment(m.document, m.revision, m.person, m.completedOn);
  if (!(await s.ledger.head(stream))) {
    await asUser(user, () => s.ledger.append(stream, assigned.type, assigned.data, { expectedVersion: 0 }));
  }
  const { completedOn, note, source } = m;
  await runCommand(s, user, stream, MIGRATED_COMPLETION, { migrated: { completedOn, note, source } });
  return stream;
}
