import { defineErrors } from '../../platform/errorCatalog.ts';

// The change-control context's domain errors (ISO 13485:2016 7.3.9, 4.1.4), each declared once.
type Named = { number: string; revision: string };
export const ChangeErrors = defineErrors('changes', {
  CHANGE_SELF_APPROVAL: {
    status: 403,
    en: 'The requester of a change does not approve it; another member of the change board must.',
    zh: '变更申请人不能批准自己的变更,须由变更委员会的其他成员批准。',
  },
  CHANGE_ALREADY_DECIDED: { status: 409, en: 'You have already approved this change.', zh: '您已批准过该变更。' },
  CHANGE_NOT_DRAFT: {
    status: 409,
    en: 'Only a draft change can be edited or submitted.',
    zh: '只有草稿变更可以修改或提交。',
  },
  CHANGE_NOT_IN_APPROVAL: { status: 409, en: 'This change is not waiting for approval.', zh: '该变更不在待批准状态。' },
  CHANGE_NOT_APPROVED: { status: 409, en: 'Only an approved change is implemented.', zh: '只有已批准的变更可以实施。' },
  CHANGE_CLOSED: { status: 409, en: 'This change is already implemented or cancelled.', zh: '该变更已实施或已取消。' },
  CHANGE_NOT_IMPLEMENTED: {
    status: 409,
    en: 'The effectiveness of a change is judged once it is implemented.',
    zh: '变更实施后才能评价其有效性。',
  },
  CHANGE_EFFECTIVENESS_SCHEDULED: {
    status: 409,
    en: 'An effectiveness check is already scheduled for this change.',
    zh: '该变更已安排有效性检查。',
  },
  CHANGE_EFFECTIVENESS_NOT_DUE: {
    status: 409,
    en: 'No effectiveness check of this change is waiting for a judgement: schedule one first.',
    zh: '该变更没有待评价的有效性检查,请先安排。',
  },
  CHANGE_EFFECTIVENESS_JUDGE_IS_REQUESTER: {
    status: 403,
    en: 'The requester of a change does not judge its effectiveness; another member of the change board must.',
    zh: '变更申请人不能评价自己变更的有效性,须由变更委员会的其他成员评价。',
  },
  CHANGE_INCOMPLETE: {
    status: 409,
    en: 'Name what the change changes, answer the impact assessment and classify the change before submitting it.',
    zh: '提交前请列出变更对象、完成影响评估并确定变更分类。',
  },
  CHANGE_NOT_YOURS: {
    status: 403,
    en: 'Only the requester or a change board member edits this change.',
    zh: '只有申请人或变更委员会成员可以修改该变更。',
  },
  CHANGE_REVISION_NOT_DRAFT: {
    status: 409,
    en: (p: Named) =>
      `${p.number} revision ${p.revision} is not a draft in work: a change names the new revision before it is submitted.`,
    zh: (p: Named) => `${p.number} 的 ${p.revision} 版不是编制中的草稿:变更须在新版本提交前将其列入。`,
  },
  CHANGE_REVISION_HELD: {
    status: 409,
    en: (p: Named & { change: string }) => `${p.number} revision ${p.revision} already belongs to change ${p.change}.`,
    zh: (p: Named & { change: string }) => `${p.number} 的 ${p.revision} 版已属于变更 ${p.change}。`,
  },
  CHANGE_REVISION_NOT_READY: {
    status: 409,
    en: (p: Named & { state: string }) =>
      `${p.number} revision ${p.revision} is not approved under this change yet (it is ${p.state}).`,
    zh: (p: Named & { state: string }) => `${p.number} 的 ${p.revision} 版尚未在本变更下批准(当前:${p.state})。`,
  },
  WORK_ORDER_DECISION_MISSING: {
    status: 409,
    en: (p: { numbers: string }) =>
      `Work orders in progress on the old DMR revision need a decision (finish on the old revision, rework or hold) first: ${p.numbers}.`,
    zh: (p: { numbers: string }) => `旧版 DMR 上在制的工单须先作出处置决定(按旧版完成、返工或暂停):${p.numbers}。`,
  },
  WORK_ORDER_NOT_AFFECTED: {
    status: 409,
    en: 'This work order is not in progress on the old revision of a DMR this change revises.',
    zh: '该工单不是本变更所修订 DMR 的旧版本上的在制工单。',
  },
});
