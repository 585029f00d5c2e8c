import { defineErrors } from '../../platform/errorCatalog.ts';

// The equipment context's domain errors, each declared once in both UI languages.
export const E = defineErrors('equipment', {
  EQUIPMENT_RETIRED: {
    status: 409,
    en: (p: { code: string }) => `${p.code} is retired.`,
    zh: (p) => `设备 ${p.code} 已报废。`,
  },
  EQUIPMENT_SAME_STATUS: {
    status: 409,
    en: (p: { code: string; status: string }) => `${p.code} is already ${p.status}.`,
    zh: (p) => `设备 ${p.code} 已是该状态。`,
  },
  EQUIPMENT_NOT_CALIBRATED: {
    status: 409,
    en: (p: { code: string; status: string; calibrationDue: string | null }) =>
      `Equipment ${p.code} ${
        p.status !== 'active'
          ? `is ${p.status.replace(/_/g, ' ')}`
          : p.calibrationDue
            ? `was due for calibration on ${p.calibrationDue}`
            : 'has never been calibrated'
      }; it cannot be used.`,
    zh: (p) =>
      `设备 ${p.code} ${p.status !== 'active' ? `处于"${p.status}"状态` : p.calibrationDue ? `校准已于 ${p.calibrationDue} 到期` : '从未校准'},不能使用。`,
  },
});
