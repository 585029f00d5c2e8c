import type { Lifecycle, Separation } from '../../records/lifecycle.ts';
import { refusal } from '../../records/refusal.ts';
import { parseOrThrow } from '../../platform/http/validate.ts';
import type { RiskPlanState } from './plan.record.ts';
import { RiskErrors as E } from './errors.ts';
import { riskPlanEvents } from './events.ts';
import { PlanContent } from './policy.ts';

// A risk management plan's lifecycle, declared once (its `actions`, the command path, canSign and
// GET /lifecycles/riskplan read this). ISO 14971:2019 4.4: the plan, including its criteria for
// risk acceptability, is documented and approved; the approver is not whoever drafted the
// revision (ISO 13485:2016 4.2.4 review and approval by a person other than the author).
type P = RiskPlanState;

export const NOT_PLAN_AUTHOR: Separation<P> = {
  rule: 'not_author',
  refusal: refusal(E.RISK_APPROVER_AUTHORED()),
  violatedBy: (u, p) => p.draftAuthor?.id === u.id,
};

export const riskPlanLifecycle: Lifecycle<P> = {
  record: 'riskplan',
  initial: 'draft',
  states: ['draft', 'approved'],
  final: [],
  transitions: [
    {
      // edits the draft, or starts the next revision's draft from an approved plan
      name: 'edit',
      from: ['draft', 'approved'],
      to: 'draft',
      permission: 'risk.write',
      needsValues: true,
      prepare: (c) => parseOrThrow(PlanContent, c.input.content, 'body.content'),
      event: (p, content: PlanContent) => riskPlanEvents.change('riskplan.drafted', { item: p.item, content }),
    },
    {
      name: 'approve',
      from: ['draft'],
      to: 'approved',
      permission: 'risk.approve',
      signature: { meaning: 'approved' },
      separation: [NOT_PLAN_AUTHOR],
    },
  ],
  stateOf: (p) => (p.draft ? 'draft' : 'approved'),
  author: (p) => p.draftAuthor?.id,
  wrongState: (t, current) =>
    refusal(E.RISK_WRONG_STATE({ action: t.name.replace(/_/g, ' '), status: current ?? 'none' })),
};
