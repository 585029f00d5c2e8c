import { defineErrors } from '../../platform/errorCatalog.ts';

// The complaints context's domain errors, each declared once.
export const ComplaintErrors = defineErrors('complaints', {
  COMPLAINT_WRONG_STATE: {
    status: 409,
    en: (p: { action: string; status: string }) => `Cannot ${p.action} a complaint that is ${p.status}.`,
    zh: (p: { action: string; status: string }) => `投诉处于"${p.status}"状态,不能执行该操作。`,
  },
  /** ISO 13485:2016 8.2.2 / 4.2.5: the closing QA review is independent of the investigation. */
  COMPLAINT_CLOSER_INVESTIGATED: {
    status: 403,
    en: 'Whoever investigated a complaint (or decided it needs none) cannot close it.',
    zh: '调查投诉(或判定无需调查)的人员不能关闭该投诉。',
  },
  COMPLAINT_DEVICE_UNKNOWN: {
    status: 404,
    en: (p: { ref: string }) => `No lot, serial or device "${p.ref}".`,
    zh: (p: { ref: string }) => `没有批次、序列号或器械"${p.ref}"。`,
  },
  COMPLAINT_NOT_A_DEVICE: {
    status: 400,
    en: (p: { partNumber: string }) => `${p.partNumber} is not a finished device.`,
    zh: (p: { partNumber: string }) => `${p.partNumber} 不是成品器械。`,
  },
});
