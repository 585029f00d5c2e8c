import { AppError } from '../../platform/errors.ts';
import type { Lifecycle, Separation } from '../../records/lifecycle.ts';
import { refusal } from '../../records/refusal.ts';
import { nextLetter } from '../../records/revisionLetters.ts';
import type { DesignProjectState, Stage } from './project.record.ts';
import { DesignErrors } from './errors.ts';
import { designProjectEvents } from './events.ts';
import { resolvePlan } from './resolve.ts';
import type { PlanInput } from './schema.ts';

// A design project's plan (ISO 13485:2016 7.3.2), declared once: written in draft, approved by
// signature by someone who did not write it (4.2.4), revised as design and development
// progresses ("updated as appropriate", 7.3.2).
const notAnEditor: Separation<DesignProjectState> = {
  rule: 'not_editor',
  refusal: refusal(new AppError('SIGNER_IS_AUTHOR')),
  violatedBy: (u, p) => p.editors.includes(u.id),
};

export const designProjectLifecycle: Lifecycle<DesignProjectState> = {
  record: 'designproject',
  initial: 'draft',
  states: ['draft', 'approved'],
  final: [],
  transitions: [
    {
      name: 'edit_plan',
      from: ['draft'],
      permission: 'design.write',
      needsValues: true,
      prepare: (c) => resolvePlan(c.s, c.input.stages as PlanInput),
      event: (p, stages: Stage[]) =>
        designProjectEvents.change('designProject.planEdited', { revision: p.planRevision, stages }),
    },
    {
      name: 'approve_plan',
      from: ['draft'],
      to: 'approved',
      permission: 'design.approve',
      signature: { meaning: 'approved' },
      separation: [notAnEditor],
      preconditions: [{ refusal: refusal(DesignErrors.DESIGN_PLAN_EMPTY()), holds: (p) => p.stages.length > 0 }],
    },
    {
      name: 'revise_plan',
      from: ['approved'],
      to: 'draft',
      permission: 'design.write',
      event: (p, _plan, c) =>
        designProjectEvents.change('designProject.planRevised', {
          revision: nextLetter(p.planRevision),
          author: { id: c.user.id, name: c.user.fullName },
        }),
    },
  ],
  stateOf: (p) => p.planState,
  wrongState: (t) =>
    refusal(t.name === 'revise_plan' ? DesignErrors.DESIGN_NOT_APPROVED() : DesignErrors.DESIGN_NOT_DRAFT()),
};
