import { AppError } from '../../platform/errors.ts';
import type { Lifecycle, Separation } from '../../records/lifecycle.ts';
import { refusal } from '../../records/refusal.ts';
import { nextLetter } from '../../records/revisionLetters.ts';
import type { DesignElementState } from './element.record.ts';
import { latestOf } from './elementRevisions.ts';
import { DesignErrors } from './errors.ts';
import { designElementEvents, type ElementContent } from './events.ts';
import { markDownstreamSuspect } from './links.ts';
import { getProject, resolveContent, stageOf } from './resolve.ts';
import type { ElementContentInput } from './schema.ts';

// A design element's lifecycle, declared once for every kind: edit the draft, approve it by
// signature (not by anyone who wrote it: ISO 13485:2016 4.2.4; a design review by its named
// independent reviewer, who is not responsible for the stage reviewed: 7.3.5), revise it into
// a new draft revision. A revision approved over an earlier one makes every link downstream
// of the element suspect (`after`), until each is re-confirmed by signature (7.3.9).
const notAnEditor: Separation<DesignElementState> = {
  rule: 'not_editor',
  refusal: refusal(new AppError('SIGNER_IS_AUTHOR')),
  violatedBy: (u, e) => latestOf(e).editors.includes(u.id),
};
const independent: Separation<DesignElementState> = {
  rule: 'not_stage_responsible',
  refusal: refusal(DesignErrors.DESIGN_REVIEWER_NOT_INDEPENDENT()),
  violatedBy: (u, e) => e.kind === 'review' && latestOf(e).content.stageResponsible?.id === u.id,
};
const hasResult = {
  refusal: refusal(DesignErrors.DESIGN_RESULT_MISSING()),
  holds: (e: DesignElementState) =>
    (e.kind !== 'verification' && e.kind !== 'validation') || latestOf(e).content.result !== 'pending',
};

export const designElementLifecycle: Lifecycle<DesignElementState> = {
  record: 'designelement',
  initial: 'draft',
  states: ['draft', 'approved'],
  final: [],
  transitions: [
    {
      name: 'edit',
      from: ['draft'],
      permission: 'design.write',
      needsValues: true,
      prepare: (c) =>
        resolveContent(c.s, c.state.projectId, c.state.kind, c.input.content as ElementContentInput, c.state.id),
      event: (e, content: ElementContent) =>
        designElementEvents.change('designElement.edited', { revision: latestOf(e).revision, content }),
    },
    {
      name: 'approve',
      from: ['draft'],
      to: 'approved',
      permission: 'design.approve',
      signature: { meaning: 'approved' },
      who: (u, e) => e.kind !== 'review' || latestOf(e).content.independentReviewer?.id === u.id,
      whoRefusal: refusal(DesignErrors.DESIGN_NOT_THE_REVIEWER()),
      separation: [notAnEditor, independent],
      preconditions: [hasResult],
      prepare: async (c) => {
        // the plan may have moved on since the review was written: judged on the plan as it is now
        const st = latestOf(c.state).content.stage;
        if (
          c.state.kind === 'review' &&
          st &&
          stageOf(await getProject(c.s, c.state.projectId), st).responsible.id === c.user.id
        )
          throw DesignErrors.DESIGN_REVIEWER_NOT_INDEPENDENT();
      },
      after: async (c, e) => {
        if (e.revisions.length > 1 && e.state === 'approved')
          await markDownstreamSuspect(c.s, e.projectId, { id: e.id, code: e.code }, e.current);
      },
    },
    {
      name: 'revise',
      from: ['approved'],
      to: 'draft',
      permission: 'design.write',
      event: (e, _p, c) =>
        designElementEvents.change('designElement.revised', {
          revision: nextLetter(latestOf(e).revision),
          author: { id: c.user.id, name: c.user.fullName },
        }),
    },
  ],
  stateOf: (e) => e.state,
  author: (e) => latestOf(e).author.id,
  wrongState: (t) =>
    refusal(t.name === 'revise' ? DesignErrors.DESIGN_NOT_APPROVED() : DesignErrors.DESIGN_NOT_DRAFT()),
};
