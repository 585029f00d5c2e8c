import { defineErrors } from '../../platform/errorCatalog.ts';

// The returns context's domain errors, each declared once.
export const ReturnsErrors = defineErrors('returns', {
  RMA_WRONG_STATE: {
    status: 409,
    en: (p: { action: string; state: string }) => `A return in state "${p.state}" cannot ${p.action}.`,
    zh: (p: { action: string; state: string }) => `状态为"${p.state}"的退货不能执行"${p.action}"。`,
  },
  RMA_NOT_SHIPPED_TO_CUSTOMER: {
    status: 409,
    en: (p: { lotNumber: string; customer: string; inField: number; requested: number }) =>
      `Lot/serial ${p.lotNumber}: customer ${p.customer} has ${p.inField} shipped and not yet returned; a return of ${p.requested} is refused.`,
    zh: (p: { lotNumber: string; customer: string; inField: number; requested: number }) =>
      `批次/序列号 ${p.lotNumber}:客户 ${p.customer} 已发货未退回数量为 ${p.inField},不能退回 ${p.requested}。`,
  },
  RMA_SERIAL_IS_ONE: {
    status: 400,
    en: 'A serialized unit is returned whole: the quantity is 1.',
    zh: '序列号管理的产品整台退回:数量为 1。',
  },
  RMA_INSPECTOR_CANNOT_DECIDE: {
    status: 409,
    en: 'Whoever inspected the returned unit may not sign its decision (independent review).',
    zh: '检查退货的人员不能签署其处置决定(独立审核)。',
  },
  RMA_NOT_CONFORMING: {
    status: 409,
    en: 'The inspection found the returned unit nonconforming: it cannot be restocked.',
    zh: '检查发现退货不合格:不能重新入库。',
  },
  RMA_NOT_QUARANTINE: {
    status: 409,
    en: (p: { location: string }) =>
      `${p.location} is not a quarantine location: a return is received into quarantine.`,
    zh: (p: { location: string }) => `${p.location} 不是隔离库位:退货须收入隔离库位。`,
  },
});
