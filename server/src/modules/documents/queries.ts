import type { Services } from '../../platform/services.ts';
import { errors } from '../../platform/errors.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { addDays, DOCUMENTS, todayUtc, type DocumentDoc } from './document.record.ts';
import { documentIndex, documentSummaries, type DocumentSummary } from './documentIndex.ts';

const byNumber = (d: DocumentSummary) => d.number;
import { makeDueEffective } from './effectiveScheduler.ts';
import { openTrainingsFor } from '../training/trainingService.ts';
import type { z } from 'zod';
import type { ListQuery } from './schema.ts';

export const documentsCollection = (s: Services) => s.db.collection<DocumentDoc>(DOCUMENTS);

export async function getDocument(s: Services, id: string): Promise<DocumentDoc> {
  let d = await documentsCollection(s).findOne({ _id: id });
  if (!d) throw errors.notFound('document');
  // the check on read: an approved revision whose day has come is made effective before anyone sees it
  if (d.pendingEffectiveDate && d.pendingEffectiveDate <= todayUtc()) {
    await makeDueEffective(s, id);
    d = (await documentsCollection(s).findOne({ _id: id }))!;
  }
  return d;
}

type Summaries = Awaited<ReturnType<typeof documentIndex>>;

/** Rows by a field's value, each group in number order (derived once per change of the register). */
function groupBy(index: Summaries, name: string, keys: (d: DocumentSummary) => string[]): Map<string, DocumentSummary[]> {
  return index.memo(`group:${name}`, () => {
    const groups = new Map<string, DocumentSummary[]>();
    for (const d of index.sortedBy('number', byNumber)) {
      for (const k of new Set(keys(d))) (groups.get(k) ?? groups.set(k, []).get(k)!).push(d);
    }
    return groups;
  });
}

/**
 * The register, filtered in process (see documentIndex.ts), in number order. An equality filter
 * starts from its precomputed group, so only the rest is scanned: p95 stays flat at 100k records.
 */
export async function listDocuments(s: Services, q: z.infer<typeof ListQuery>): Promise<{ items: DocumentSummary[]; total: number }> {
  await makeDueEffective(s);
  const index = await documentIndex(s);
  const candidates: DocumentSummary[][] = [];
  if (q.type) candidates.push(groupBy(index, 'type', (d) => [d.type]).get(q.type) ?? []);
  if (q.department) candidates.push(groupBy(index, 'department', (d) => [d.department]).get(q.department) ?? []);
  // a state matches the headline (the effective revision) or the revision in work (a draft B)
  if (q.state) candidates.push(groupBy(index, 'state', (d) => [d.state, d.workingState]).get(q.state) ?? []);
  if (q.owner) candidates.push(groupBy(index, 'owner', (d) => [d.owner.id]).get(q.owner) ?? []);
  const start = candidates.length ? candidates.reduce((a, b) => (a.length <= b.length ? a : b)) : index.sortedBy('number', byNumber);
  const needle = q.q?.toLowerCase();
  const matches: DocumentSummary[] = [];
  for (const d of start) {
    if ((q.type && d.type !== q.type) || (q.department && d.department !== q.department) || (q.owner && d.owner.id !== q.owner)
      || (q.state && d.state !== q.state && d.workingState !== q.state) || (needle && !d.haystack.includes(needle))) continue;
    matches.push(d);
  }
  return { items: matches.slice((q.page - 1) * q.pageSize, q.page * q.pageSize), total: matches.length };
}

export interface Task { id: string; kind: 'review' | 'approval' | 'training' | 'periodic_review'; documentId: string; number: string; title: { zh: string; en: string }; revision: string; due: string | null }

export const DECISION_DAYS = 10;

/** What the caller has to do: reviews and approvals waiting for them, open training, overdue periodic reviews. */
export async function tasksFor(s: Services, user: SessionUser): Promise<Task[]> {
  await makeDueEffective(s);
  const tasks: Task[] = [];
  const today = todayUtc();
  for (const d of await documentSummaries(s)) {
    const w = d.working;
    const ref = { documentId: d.id, number: d.number, title: d.title };
    const due = w.submittedAt ? addDays(w.submittedAt, DECISION_DAYS) : null;
    if (d.workingState === 'in_review' && d.reviewers.includes(user.id) && !w.reviewedBy.includes(user.id)) {
      tasks.push({ id: `review.${d.id}.${w.revision}.${w.iteration}`, kind: 'review', ...ref, revision: w.revision, due });
    }
    if (d.workingState === 'approval' && d.approvers.includes(user.id) && !w.approvedBy.includes(user.id)) {
      tasks.push({ id: `approval.${d.id}.${w.revision}.${w.iteration}`, kind: 'approval', ...ref, revision: w.revision, due });
    }
    if (d.owner.id === user.id && d.effective && w.revision === d.effective && d.nextReviewDue && d.nextReviewDue <= today) {
      tasks.push({ id: `periodic_review.${d.id}.${d.effective}`, kind: 'periodic_review', ...ref, revision: d.effective, due: d.nextReviewDue });
    }
  }
  for (const t of await openTrainingsFor(s, user.id)) {
    tasks.push({ id: t._id, kind: 'training', documentId: t.documentId, number: t.number, title: t.title, revision: t.revision, due: t.due });
  }
  return tasks.sort((a, b) => (a.due ?? '9999').localeCompare(b.due ?? '9999'));
}
