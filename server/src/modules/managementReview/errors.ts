import { defineErrors } from '../../platform/errorCatalog.ts';

// The management review context's domain errors, each declared once (ISO 13485:2016 5.6).
export const ReviewErrors = defineErrors('managementReview', {
  REVIEW_PERSON_INACTIVE: {
    status: 409,
    en: (p: { user: string }) => `User ${p.user} does not exist or is disabled.`,
    zh: (p: { user: string }) => `用户 ${p.user} 不存在或已停用。`,
  },
  REVIEW_MEETING_DATE: {
    status: 409,
    en: 'The meeting is held after the review period starts and not in the future.',
    zh: '评审会议日期应在评审期间开始之后,且不能是将来的日期。',
  },
  REVIEW_RECORDER_CANNOT_APPROVE: {
    status: 409,
    en: 'Whoever recorded the meeting cannot approve the review.',
    zh: '记录评审会议的人不能批准该评审。',
  },
  REVIEW_NOT_ACTION_OWNER: {
    status: 403,
    en: 'Only the owner of this action completes it.',
    zh: '只有该措施的负责人可以完成它。',
  },
  REVIEW_ACTION_DONE: { status: 409, en: 'This action is already complete.', zh: '该措施已完成。' },
  REVIEW_WRONG_STATE: {
    status: 409,
    en: (p: { action: string; state: string }) => `Cannot ${p.action} a management review that is ${p.state}.`,
    zh: (p: { action: string; state: string }) => `管理评审处于"${p.state}"状态,不能执行"${p.action}"。`,
  },
});
