import { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import { errors } from '../../platform/errors.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import { Id, msg } from '../../platform/schemas.ts';
import { asUser } from '../../records/command.ts';
import { journaled } from '../../records/commandJournal.ts';
import { hasPermission } from '../../identity/roles.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { usersCollection } from '../../identity/userService.ts';
import { getDocument } from '../documents/queries.ts';
import { revisionOf } from '../documents/document.record.ts';
import { TRAININGS, trainingId, type TrainingDoc } from './training.record.ts';
import { TrainingErrors } from './errors.ts';
import { assignment, TRAINING_DAYS } from './trainingService.ts';

/** People one request may assign at once (issue 15 item 4: bulk actions, bounded). */
export const MAX_BULK_TRAINEES = 200;

export const BulkAssignBody = z
  .object({
    userIds: z
      .array(Id)
      .min(1, msg('at least one person', '至少选择一人'))
      .max(MAX_BULK_TRAINEES, msg(`at most ${MAX_BULK_TRAINEES} people`, `最多 ${MAX_BULK_TRAINEES} 人`)),
  })
  .strict();

/**
 * Assigns the document's effective revision to many people in one request (ISO 13485:2016 6.2:
 * competence by training on the procedures people work to), all or nothing: every person is judged
 * first (known, active account), a single unknown or inactive person refuses the whole request with
 * nothing written; then every assignment is written in one journaled command (commandJournal.ts).
 * A person who already holds training on this revision (open or done) is reported as skipped,
 * never assigned twice (the stream id is document + revision + person). The document's owner or a
 * holder of training.read_all (QA, the training coordinator) may assign.
 */
export async function bulkAssignTraining(s: Services, user: SessionUser, documentId: string, userIds: string[]) {
  const d = await getDocument(s, documentId);
  if (d.owner.id !== user.id && !hasPermission(user, 'training.read_all'))
    throw errors.forbidden('assign training on this document');
  const rev = revisionOf(d, d.effective);
  if (!rev) throw TrainingErrors.NO_EFFECTIVE_REVISION();
  const ids = [...new Set(userIds)];
  const people = await usersCollection(s)
    .find({ _id: { $in: ids } })
    .toArray();
  const byId = new Map(people.map((p) => [p._id, p]));
  const refused = ids.filter((id) => byId.get(id)?.status !== 'active');
  if (refused.length) throw TrainingErrors.TRAINEES_NOT_ACTIVE({ ids: refused.slice(0, 10).join(', ') });
  const existing = await s.db
    .collection<TrainingDoc>(TRAININGS)
    .find({ _id: { $in: ids.map((id) => trainingId(d._id, rev.revision, id)) } })
    .toArray();
  const held = new Map(existing.map((t) => [t.userId, t.status]));
  const due = addDays(todayUtc(), TRAINING_DAYS);
  const assigned: string[] = [];
  await journaled(s, () =>
    asUser(user, async () => {
      for (const id of ids) {
        if (held.has(id)) continue;
        const p = byId.get(id)!;
        const { stream, assigned: c } = assignment({ ...d, id: d._id }, rev, { id: p._id, name: p.fullName }, due);
        await s.ledger.append(stream, c.type, c.data, { expectedVersion: 0 });
        assigned.push(id);
      }
    }),
  );
  return {
    documentId: d._id,
    revision: rev.revision,
    due,
    assigned,
    skipped: ids.filter((id) => held.has(id)).map((id) => ({ userId: id, status: held.get(id)! })),
  };
}
