import type { Services } from '../../platform/services.ts';
import type { Task, TaskSource } from '../../records/contributions.ts';
import { addDays, todayUtc } from './document.record.ts';
import { documentIndex, type DocumentSummary } from './documentIndex.ts';
import { makeDueEffective } from './effectiveScheduler.ts';

/** Days a reviewer or approver has to decide, counted from submission (the inbox's due date). */
export const DECISION_DAYS = 10;

const sweeping = new WeakMap<Services, Promise<number>>();
/**
 * makeDueEffective for the inbox: the task sources are asked at once, and the training source waits
 * for the same sweep (one per server at a time; a caller arriving while one runs shares it).
 */
export function dueDocumentsEffective(s: Services): Promise<number> {
  let running = sweeping.get(s);
  if (!running) {
    running = makeDueEffective(s).finally(() => sweeping.delete(s));
    sweeping.set(s, running);
  }
  return running;
}

/**
 * The documents that may hold a task for each person: in review for its reviewers, in approval for
 * its approvers, effective with a periodic review date for its owner. Derived once per change of
 * the register (a memo of the index), so an inbox reads its own few, not a register of 100k.
 */
function inboxByUser(rows: DocumentSummary[]): Map<string, DocumentSummary[]> {
  const by = new Map<string, DocumentSummary[]>();
  const add = (id: string, d: DocumentSummary) => {
    const list = by.get(id);
    if (list) {
      if (list.at(-1) !== d) list.push(d);
    } else by.set(id, [d]);
  };
  for (const d of rows) {
    if (d.workingState === 'in_review') for (const id of d.reviewers) add(id, d);
    if (d.workingState === 'approval') for (const id of d.approvers) add(id, d);
    if (d.effective && d.nextReviewDue) add(d.owner.id, d);
  }
  return by;
}

// What documents put in a user's inbox: reviews and approvals waiting for them, and periodic
// reviews of their effective documents that have come due.
export const documentTasks: TaskSource = {
  kinds: ['review', 'approval', 'periodic_review'],
  async tasksFor(s, user) {
    await dueDocumentsEffective(s); // an approved revision whose day has come is effective before anyone looks
    const tasks: Task[] = [];
    const today = todayUtc();
    for (const d of (await documentIndex(s)).memo('inboxByUser', inboxByUser).get(user.id) ?? []) {
      const w = d.working;
      const ref = { documentId: d.id, number: d.number, title: d.title, link: { route: 'document', id: d.id } };
      const due = w.submittedAt ? addDays(w.submittedAt, DECISION_DAYS) : null;
      const iteration = `${d.id}.${w.revision}.${w.iteration}`;
      if (d.workingState === 'in_review' && d.reviewers.includes(user.id) && !w.reviewedBy.includes(user.id)) {
        tasks.push({ id: `review.${iteration}`, kind: 'review', ...ref, revision: w.revision, due });
      }
      if (d.workingState === 'approval' && d.approvers.includes(user.id) && !w.approvedBy.includes(user.id)) {
        tasks.push({ id: `approval.${iteration}`, kind: 'approval', ...ref, revision: w.revision, due });
      }
      if (
        d.owner.id === user.id &&
        d.effective &&
        w.revision === d.effective &&
        d.nextReviewDue &&
        d.nextReviewDue <= today
      ) {
        const id = `periodic_review.${d.id}.${d.effective}`;
        tasks.push({ id, kind: 'periodic_review', ...ref, revision: d.effective, due: d.nextReviewDue });
      }
    }
    return tasks;
  },
};
