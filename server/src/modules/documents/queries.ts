import type { Filter } from 'mongodb';
import type { Services } from '../../platform/services.ts';
import { errors } from '../../platform/errors.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { DOCUMENTS, currentApprovals, currentReviews, latest, todayUtc, type DocumentDoc } from './document.record.ts';
import { makeDueEffective } from './effectiveScheduler.ts';
import { openTrainingsFor } from '../training/trainingService.ts';
import type { z } from 'zod';
import type { ListQuery } from './schema.ts';

export const documentsCollection = (s: Services) => s.db.collection<DocumentDoc>(DOCUMENTS);
const escapeRegex = (q: string) => q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export async function getDocument(s: Services, id: string): Promise<DocumentDoc> {
  let d = await documentsCollection(s).findOne({ _id: id });
  if (!d) throw errors.notFound('document');
  // the check on read: an approved revision whose day has come is made effective before anyone sees it
  if (d.pendingEffectiveDate && d.pendingEffectiveDate <= todayUtc()) {
    await makeDueEffective(s, { _id: id });
    d = (await documentsCollection(s).findOne({ _id: id }))!;
  }
  return d;
}

export async function listDocuments(s: Services, q: z.infer<typeof ListQuery>) {
  await makeDueEffective(s);
  const filter: Filter<DocumentDoc> = {};
  const and: Filter<DocumentDoc>[] = [];
  if (q.type) filter.type = q.type;
  if (q.owner) filter['owner.id'] = q.owner;
  if (q.department) filter.department = q.department;
  // a state matches the headline (effective revision) or the revision in work (a draft B)
  if (q.state) and.push({ $or: [{ state: q.state }, { workingState: q.state }] });
  if (q.q) {
    const re = { $regex: escapeRegex(q.q), $options: 'i' };
    and.push({ $or: [{ number: re }, { 'title.zh': re }, { 'title.en': re }] });
  }
  if (and.length) filter.$and = and;
  const col = documentsCollection(s);
  const [items, total] = await Promise.all([
    col.find(filter).sort({ number: 1 }).skip((q.page - 1) * q.pageSize).limit(q.pageSize).toArray(),
    col.countDocuments(filter),
  ]);
  return { items, total };
}

export interface Task { id: string; kind: 'review' | 'approval' | 'training' | 'periodic_review'; documentId: string; number: string; title: { zh: string; en: string }; revision: string; due: string | null }

const plusDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * 86_400_000).toISOString().slice(0, 10);
export const DECISION_DAYS = 10;

/** What the caller has to do: reviews and approvals waiting for them, open training, overdue periodic reviews. */
export async function tasksFor(s: Services, user: SessionUser): Promise<Task[]> {
  await makeDueEffective(s);
  const col = documentsCollection(s);
  const tasks: Task[] = [];
  const ref = (d: DocumentDoc) => ({ documentId: d._id, number: d.number, title: d.title });
  for (const d of await col.find({ workingState: 'in_review', 'reviewers.id': user.id }).toArray()) {
    const w = latest(d);
    if (!currentReviews(w).some((x) => x.userId === user.id)) tasks.push({ id: `review.${d._id}.${w.revision}.${w.iteration}`, kind: 'review', ...ref(d), revision: w.revision, due: w.submittedAt ? plusDays(w.submittedAt, DECISION_DAYS) : null });
  }
  for (const d of await col.find({ workingState: 'approval', 'approvers.id': user.id }).toArray()) {
    const w = latest(d);
    if (!currentApprovals(w).some((x) => x.userId === user.id)) tasks.push({ id: `approval.${d._id}.${w.revision}.${w.iteration}`, kind: 'approval', ...ref(d), revision: w.revision, due: w.submittedAt ? plusDays(w.submittedAt, DECISION_DAYS) : null });
  }
  for (const t of await openTrainingsFor(s, user.id)) {
    tasks.push({ id: t._id, kind: 'training', documentId: t.documentId, number: t.number, title: t.title, revision: t.revision, due: t.due });
  }
  for (const d of await col.find({ 'owner.id': user.id, state: 'effective', nextReviewDue: { $lte: todayUtc() } }).toArray()) {
    if (latest(d).revision === d.effective) tasks.push({ id: `periodic_review.${d._id}.${d.effective}`, kind: 'periodic_review', ...ref(d), revision: d.effective!, due: d.nextReviewDue });
  }
  return tasks.sort((a, b) => (a.due ?? '9999').localeCompare(b.due ?? '9999'));
}
