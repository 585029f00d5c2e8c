import type { Services } from '../server/src/platform/services.ts';
import type { SessionUser } from '../server/src/identity/sessionUser.ts';
import { todayUtc } from '../server/src/platform/dates.ts';
import { performAction, uploadContent } from '../server/src/modules/documents/documentActions.ts';
import { getDocument } from '../server/src/modules/documents/queries.ts';
import { sessionUsers } from './sessionUsers.ts';
import { documentContentPdf } from './documentContent.ts';
import { DEMO_PASSWORD } from './demo-users.ts';

const sign = { password: DEMO_PASSWORD };

/**
 * A new revision of document `id` titled `title`, through the document commands: drafted by the
 * production supervisor (its owner in the demo) with a content file, reviewed by reviewer2,
 * approved by the QA manager, effective on the (simulated) day. Returns the approved document.
 */
export async function reviseDocument(s: Services, id: string, title: { zh: string; en: string }) {
  const users = await sessionUsers(s);
  const [sup, reviewer2, qaMgr] = ['prod.supervisor', 'reviewer2', 'qa.manager'].map((n) => users.get(n)!);
  const act = async (u: SessionUser, action: string, extra: Record<string, unknown> = {}) =>
    performAction(s, u, id, action, { version: (await getDocument(s, id)).ledgerVersion, ...extra });
  await act(sup, 'new_revision');
  const draft = await getDocument(s, id);
  await uploadContent(s, sup, id, {
    name: `${draft.number}-${draft.current}.pdf`,
    mime: 'application/pdf',
    bytes: await documentContentPdf({
      type: draft.type,
      number: draft.number,
      revision: draft.current,
      department: draft.department,
      title,
      owner: sup.fullName,
      written: todayUtc(),
    }),
  });
  await act(sup, 'submit');
  await act(reviewer2, 'review', sign);
  return act(qaMgr, 'approve', sign);
}
