import type { TaskSource } from '../../records/contributions.ts';
import { hasPermission } from '../../identity/roles.ts';
import { tasksFromActions } from '../tasks/fromActions.ts';
import { reviewLifecycle } from './review.lifecycle.ts';
import type { reviews } from './service.ts';
import { managementReviewRecord } from './review.record.ts';
import { openRecords, type DocOf } from '../../records/openRecords.ts';

type Review = DocOf<typeof reviews>;

// What management reviews put in a user's inbox: the open review actions they own (ISO 13485:2016
// 5.6.3, followed up as input 5.6.2 i) of the next review), and reviews waiting for their approval
// (read off review.lifecycle.ts).
export const reviewTasks: TaskSource = {
  kinds: ['review_action', 'review_approval'],
  async tasksFor(s, user) {
    const withActions = await openRecords<Review>(
      s,
      managementReviewRecord,
      'open_actions',
      (r) => r.openActionOwners.length > 0,
    );
    const mine = withActions.filter((r) => r.openActionOwners.includes(user.id)).slice(0, 500);
    const own = mine.flatMap((r) =>
      r.actions
        .filter((a) => a.status === 'open' && a.owner.id === user.id)
        .map((a) => ({
          id: `review_action.${r._id}.${a.id}`,
          kind: 'review_action',
          number: `${r.number} ${a.id}`,
          title: { zh: a.description, en: a.description },
          revision: a.id,
          due: a.due,
          link: { route: 'managementReview', id: r._id },
        })),
    );
    if (!hasPermission(user, 'review.approve')) return own;
    const recorded = (
      await openRecords<Review>(s, managementReviewRecord, 'recorded', (r) => r.state === 'recorded')
    ).slice(0, 200);
    const approve = await tasksFromActions(s, user, reviewLifecycle, recorded, (r, x) =>
      x.action === 'approve'
        ? {
            id: `review_approval.${r._id}`,
            kind: 'review_approval',
            number: r.number,
            title: { zh: r.title, en: r.title },
            revision: '',
            due: null,
            link: { route: 'managementReview', id: r._id },
          }
        : null,
    );
    return [...own, ...approve];
  },
};
