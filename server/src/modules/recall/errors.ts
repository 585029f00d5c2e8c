import { defineErrors } from '../../platform/errorCatalog.ts';

// The recall context's domain errors, each declared once.
export const RecallErrors = defineErrors('recall', {
  RECALL_WRONG_STATE: {
    status: 409,
    en: (p: { action: string; state: string }) => `A recall in state "${p.state}" cannot ${p.action}.`,
    zh: (p: { action: string; state: string }) => `状态为"${p.state}"的召回不能执行"${p.action}"。`,
  },
  RECALL_INITIATOR_CANNOT_SIGN: {
    status: 409,
    en: 'Whoever initiated the recall may not approve or close it (independent review).',
    zh: '召回发起人不能批准或关闭该召回(独立审核)。',
  },
  RECALL_NOTHING_SHIPPED: {
    status: 409,
    en: 'None of the named lots or serials was shipped: there is no one to notify.',
    zh: '所列批次或序列号均未发货:没有需要通知的客户。',
  },
  RECALL_NOT_A_CUSTOMER: {
    status: 404,
    en: (p: { customer: string }) => `Customer ${p.customer} received none of the recalled units.`,
    zh: (p: { customer: string }) => `客户 ${p.customer} 未收到任何被召回的产品。`,
  },
  RECALL_ALREADY_NOTIFIED: { status: 409, en: 'This customer is already notified.', zh: '该客户已通知。' },
  RECALL_NOT_NOTIFIED: {
    status: 409,
    en: 'Record the notification before its acknowledgement.',
    zh: '请先记录通知,再记录确认。',
  },
  RECALL_ALREADY_ACKNOWLEDGED: { status: 409, en: 'Already acknowledged.', zh: '已确认。' },
  RECALL_UNIT_NOT_IN_RECALL: {
    status: 404,
    en: (p: { lot: string }) => `Lot or serial ${p.lot} is not in this recall.`,
    zh: (p: { lot: string }) => `批次或序列号 ${p.lot} 不在本次召回范围内。`,
  },
  RECALL_QUANTITY_EXCEEDS: {
    status: 409,
    en: (p: { open: number }) => `Only ${p.open} of this unit are still unaccounted for in the field.`,
    zh: (p: { open: number }) => `该产品在市场上尚未处理的数量只有 ${p.open}。`,
  },
  RECALL_DATE_OUT_OF_RANGE: {
    status: 400,
    en: 'The date must lie between the recall’s initiation and today.',
    zh: '日期必须在召回发起日与今天之间。',
  },
  RECALL_UNKNOWN_CLOCK: { status: 404, en: 'This recall has no such regulatory clock.', zh: '本召回没有该法规时限。' },
  RECALL_ALREADY_REPORTED: { status: 409, en: 'This report is already recorded.', zh: '该报告已记录。' },
  RECALL_CUSTOMERS_NOT_NOTIFIED: {
    status: 409,
    en: 'Every customer must be notified before the recall is closed.',
    zh: '关闭召回前必须通知所有客户。',
  },
});
