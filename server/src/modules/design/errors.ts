import { defineErrors } from '../../platform/errorCatalog.ts';

// The design-controls context's domain errors (ISO 13485:2016 7.3), each declared once.
export const DesignErrors = defineErrors('design', {
  DESIGN_ELEMENT_NOT_IN_PROJECT: {
    status: 422,
    en: (p: { id: string }) => `Element ${p.id} does not exist in this design project.`,
    zh: (p: { id: string }) => `本设计项目中不存在要素 ${p.id}。`,
  },
  DESIGN_LINK_KINDS: {
    status: 422,
    en: (p: { from: string; to: string }) => `A ${p.from} cannot be traced to a ${p.to}.`,
    zh: (p: { from: string; to: string }) => `${p.from} 不能追溯到 ${p.to}。`,
  },
  DESIGN_LINK_CYCLE: {
    status: 422,
    en: 'This link would close a cycle in the trace graph.',
    zh: '该链接会在追溯图中形成循环。',
  },
  DESIGN_LINK_NOT_SUSPECT: {
    status: 409,
    en: 'This link is not suspect; there is nothing to re-confirm.',
    zh: '该链接不是可疑链接,无需重新确认。',
  },
  DESIGN_NOT_DRAFT: { status: 409, en: 'Only a draft can be changed or approved.', zh: '只有草稿可以修改或批准。' },
  DESIGN_NOT_APPROVED: {
    status: 409,
    en: 'Only an approved revision can be revised.',
    zh: '只有已批准的版本可以修订。',
  },
  DESIGN_PLAN_EMPTY: {
    status: 409,
    en: 'The design plan names no stage yet (ISO 13485:2016 7.3.2).',
    zh: '设计策划尚未列出任何阶段(ISO 13485:2016 7.3.2)。',
  },
  DESIGN_RESULT_MISSING: {
    status: 409,
    en: 'Record the result (pass or fail) before approving.',
    zh: '批准前请记录结果(通过或不通过)。',
  },
  DESIGN_NOT_THE_REVIEWER: {
    status: 403,
    en: 'Only the independent reviewer named on this design review signs it.',
    zh: '只有该设计评审指定的独立评审人可以签署。',
  },
  DESIGN_REVIEWER_NOT_INDEPENDENT: {
    status: 403,
    en: 'The independent reviewer is responsible for the stage under review (ISO 13485:2016 7.3.5).',
    zh: '独立评审人负责被评审的阶段(ISO 13485:2016 7.3.5)。',
  },
  DESIGN_STAGE_UNKNOWN: {
    status: 422,
    en: (p: { stage: string }) => `The design plan has no stage "${p.stage}".`,
    zh: (p: { stage: string }) => `设计策划中没有阶段"${p.stage}"。`,
  },
  DESIGN_TRANSFER_DMR: {
    status: 422,
    en: (p: { dmr: string; revision: string }) => `DMR ${p.dmr} has no revision ${p.revision}.`,
    zh: (p: { dmr: string; revision: string }) => `DMR ${p.dmr} 没有版本 ${p.revision}。`,
  },
  DESIGN_USER_UNKNOWN: {
    status: 422,
    en: (p: { id: string }) => `No active user "${p.id}".`,
    zh: (p: { id: string }) => `没有有效用户"${p.id}"。`,
  },
});
