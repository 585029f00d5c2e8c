import { defineErrors } from '../../platform/errorCatalog.ts';

// The service context's domain errors, each declared once.
export const ServiceErrors = defineErrors('service', {
  SERVICE_WRONG_STATE: {
    status: 409,
    en: (p: { action: string; state: string }) => `A service record in state "${p.state}" cannot ${p.action}.`,
    zh: (p: { action: string; state: string }) => `状态为"${p.state}"的服务记录不能执行"${p.action}"。`,
  },
  SERVICE_DEVICE_NOT_SHIPPED: {
    status: 409,
    en: 'Only a shipped serialized device is serviced: this unit was never shipped to a customer.',
    zh: '只能为已发货的序列号器械记录服务:该器械从未发货给客户。',
  },
  SERVICE_DATE_OUT_OF_RANGE: {
    status: 400,
    en: 'The service date is before the shipment or in the future.',
    zh: '服务日期早于发货日期或在将来。',
  },
  SERVICE_NOT_AN_EXCHANGE: {
    status: 409,
    en: 'The replacement must be a released serialized unit of the same device.',
    zh: '替换件必须是同一器械、已放行的序列号产品。',
  },
  SERVICE_ALREADY_EXCHANGED: { status: 409, en: 'This unit is already exchanged.', zh: '该器械已更换。' },
  SERVICE_TECHNICIAN_CANNOT_SIGN: {
    status: 409,
    en: 'Whoever recorded the service may not sign its completion (independent review).',
    zh: '记录服务的人员不能签署其完成(独立审核)。',
  },
  SERVICE_NOT_SCREENED: {
    status: 409,
    en: 'Screen the record as a possible complaint before completing it (21 CFR 820.198).',
    zh: '完成前须筛查该记录是否为可能的投诉(21 CFR 820.198)。',
  },
});
