import type { LedgerEvent } from '../../ledger/event.ts';
import { defineRecordType } from '../../records/registry.ts';
import { declareIndexes } from '../../platform/db/mongo.ts';
import { hasPermission } from '../../identity/roles.ts';
import type { Projected } from '../../records/projector.ts';
import { SIGNATURE_EVENT } from '../../records/events.ts';
import { signatureCounts } from '../../../../signatures/esign/seal.ts';
import { riskPlanEvents } from './events.ts';
import type { PlanContent } from './policy.ts';
import { riskPlanLifecycle } from './plan.lifecycle.ts';

// The risk management plan of one device (ISO 14971:2019 4.4), stream `riskplan:<itemId>`: scope,
// life-cycle phases, responsibilities and the acceptability policy as data (policy.ts). Revision 1,
// 2, … each drafted, then approved by signature (not by whoever drafted it); the approved revision
// is the one every risk of the device is judged against, so a new approved revision re-zones the
// device's risk file at once.
export interface Person {
  id: string;
  name: string;
}
export interface RiskPlanState {
  id: string;
  itemId: string;
  item: { id: string; partNumber: string; name: { zh: string; en: string } };
  /** The approved revision's number (0: none approved yet). */
  revision: number;
  effective: PlanContent | null;
  approvedBy: Person | null;
  approvedAt: string | null;
  signatureId: string | null;
  draft: PlanContent | null;
  draftAuthor: Person | null;
  status: 'draft' | 'approved';
  createdAt: string;
}
export type RiskPlanDoc = Projected<RiskPlanState>;

import { RISK_PLANS } from './collections.ts';
import { delegateOf, principalOf } from '../../records/principal.ts';
export { RISK_PLANS };
declareIndexes(RISK_PLANS, [{ key: { itemId: 1 }, name: 'itemId' }]);

/** What the approval signs: the draft of the next revision. */
const planContent = (s: RiskPlanState) => ({ itemId: s.itemId, revision: s.revision + 1, draft: s.draft });

function reduce(s: RiskPlanState | undefined, event: LedgerEvent): RiskPlanState {
  const e = riskPlanEvents.typed(event);
  if (e.type === 'riskplan.drafted') {
    const author = { id: e.actor.id, name: e.actor.name };
    if (!s)
      return {
        id: e.data.item.id,
        itemId: e.data.item.id,
        item: e.data.item,
        revision: 0,
        effective: null,
        approvedBy: null,
        approvedAt: null,
        signatureId: null,
        draft: e.data.content,
        draftAuthor: author,
        status: 'draft',
        createdAt: e.at,
      };
    return { ...s, draft: e.data.content, draftAuthor: author, status: 'draft' };
  }
  if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before riskplan.drafted`);
  if (
    e.type === SIGNATURE_EVENT &&
    e.data.meaning === 'approved' &&
    s.draft &&
    signatureCounts(s, event, planContent)
  ) {
    return {
      ...s,
      revision: s.revision + 1,
      effective: s.draft,
      approvedBy: principalOf(e.data),
      ...delegateOf(e.data),
      approvedAt: e.data.signedAt,
      signatureId: e.data.signatureId,
      draft: null,
      draftAuthor: null,
      status: 'approved',
    };
  }
  return s;
}

export const riskPlanRecord = defineRecordType<RiskPlanState>({
  type: 'riskplan',
  collection: RISK_PLANS,
  reduce,
  content: planContent,
  events: riskPlanEvents,
  lifecycle: riskPlanLifecycle,
  canRead: (user) => hasPermission(user, 'risk.read'),
});
