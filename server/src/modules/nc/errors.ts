import { defineErrors } from '../../platform/errorCatalog.ts';

// The nonconformance context's domain errors, each declared once.
export const NcErrors = defineErrors('nc', {
  NC_CLOSED: { status: 409, en: 'This nonconformance is closed.', zh: '该不合格品记录已关闭。' },
  NC_UNDISPOSED_QUANTITY: {
    status: 409,
    en: 'Every affected quantity needs its disposition before the nonconformance is closed.',
    zh: '关闭不合格品记录前,所有受影响数量都必须完成处置。',
  },
  NC_REWORK_NOT_VERIFIED: {
    status: 409,
    en: 'Reworked product must be re-verified before the nonconformance is closed.',
    zh: '返工产品须经重新验证后才能关闭不合格品记录。',
  },
  NC_NOTHING_TO_DISPOSE: {
    status: 409,
    en: 'No affected quantity is left to disposition.',
    zh: '没有待处置的受影响数量。',
  },
  NC_DISPOSITION_EXCEEDS: {
    status: 409,
    en: (p: { lotNumber: string; requested: number; undisposed: number }) =>
      `Lot ${p.lotNumber}: ${p.requested} is more than the ${p.undisposed} still undisposed.`,
    zh: (p: { lotNumber: string; requested: number; undisposed: number }) =>
      `批次 ${p.lotNumber}:处置数量 ${p.requested} 超过尚未处置的 ${p.undisposed}。`,
  },
  NC_LOT_NOT_AFFECTED: {
    status: 409,
    en: 'That lot is not one this nonconformance names.',
    zh: '该批次不在本不合格品记录之中。',
  },
  NC_AFFECTED_EXCEEDS_LOT: {
    status: 409,
    en: (p: { lotNumber: string; requested: number; quantity: number }) =>
      `Lot ${p.lotNumber} holds ${p.quantity}; ${p.requested} cannot be affected.`,
    zh: (p: { lotNumber: string; requested: number; quantity: number }) =>
      `批次 ${p.lotNumber} 仅有 ${p.quantity},受影响数量不能为 ${p.requested}。`,
  },
  NC_NO_REWORK_TO_VERIFY: {
    status: 409,
    en: 'No reworked quantity awaits re-verification.',
    zh: '没有待重新验证的返工数量。',
  },
});
