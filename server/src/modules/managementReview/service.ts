import { randomUUID } from 'node:crypto';
import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { errors } from '../../platform/errors.ts';
import { asUser, runCommand } from '../../records/command.ts';
import { yearlyNumber } from '../../records/ledgerOps.ts';
import { streamOf } from '../../records/registry.ts';
import { reviewEvents } from './events.ts';
import { MANAGEMENT_REVIEWS, type ReviewDoc } from './review.record.ts';
import type { CreateReview, ReviewAction } from './schema.ts';

export const reviews = (s: Services) => s.db.collection<ReviewDoc>(MANAGEMENT_REVIEWS);

/** Plans a review for a period (not a lifecycle action: there is no record yet); runs as the user. */
export function planReview(s: Services, user: SessionUser, b: CreateReview) {
  return asUser(user, async () => {
    const number = await yearlyNumber(s, 'MR');
    const id = randomUUID();
    const planned = reviewEvents.change('review.planned', { number, ...b });
    await s.ledger.append(streamOf('managementReview', id), planned.type, planned.data, { expectedVersion: 0 });
    return getReview(s, id);
  });
}

export async function getReview(s: Services, id: string): Promise<ReviewDoc> {
  const r = await reviews(s).findOne({ _id: id });
  if (!r) throw errors.notFound('management review');
  return r;
}

/** One action on a review, through the one command path (review.lifecycle.ts). */
export async function actOnReview(s: Services, user: SessionUser, id: string, action: ReviewAction, input: object) {
  await getReview(s, id);
  await runCommand(s, user, streamOf('managementReview', id), action, input as Record<string, unknown>);
  return getReview(s, id);
}

export async function listReviews(s: Services, f: { state?: string }): Promise<ReviewDoc[]> {
  return reviews(s)
    .find(f.state ? { state: f.state as ReviewDoc['state'] } : {})
    .sort({ periodTo: -1 })
    .limit(500)
    .toArray();
}
