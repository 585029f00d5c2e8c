import type { Services } from '../../platform/services.ts';
import type { Blocker } from '../../records/lifecycle.ts';
import { latest } from '../../records/revisions.ts';
import type { DocumentState } from './document.record.ts';
import { DocumentErrors } from './errors.ts';

// Unresolved review comments hold a revision's approval (ISO 13485:2016 4.2.4 a): documents are
// reviewed for adequacy before issue; a question a reviewer raised is answered or consciously
// overridden, with the approver's reason on the ledger). The comments are another context's
// records (modules/reviewComments): read here by their collection's name, never by import.
const REVIEW_COMMENTS = 'reviewComments';

/** The open threads (root comments not resolved) on the working revision's current iteration. */
export async function openThreads(s: Services, d: DocumentState): Promise<string[]> {
  const r = latest(d);
  const rows = await s.db
    .collection<{ _id: string }>(REVIEW_COMMENTS)
    .find(
      { documentId: d.id, revision: r.revision, iteration: r.iteration, parentId: null, status: 'open' },
      { projection: { _id: 1 } },
    )
    .toArray();
  return rows.map((x) => x._id).sort();
}

/** What the approve action carries while threads are open (records/lifecycle.ts explainedActions). */
export async function unresolvedBlocker(s: Services, d: DocumentState): Promise<Blocker | null> {
  const open = await openThreads(s, d);
  if (!open.length) return null;
  const e = DocumentErrors.COMMENTS_UNRESOLVED({ count: open.length });
  return { code: e.code, en: e.localized('en-US'), zh: e.localized('zh-CN') };
}
