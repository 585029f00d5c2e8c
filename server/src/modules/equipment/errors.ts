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
  // ISO 13485:2016 6.3 / 7.5.1: equipment is maintained as planned; the shop floor refuses it when overdue
  EQUIPMENT_MAINTENANCE_OVERDUE: {
    status: 409,
    en: (p: { code: string; maintenanceDue: string }) =>
      `Equipment ${p.code} was due for preventive maintenance on ${p.maintenanceDue}; it cannot be used until the maintenance is recorded.`,
    zh: (p) => `设备 ${p.code} 的预防性维护已于 ${p.maintenanceDue} 到期,记录维护前不能使用。`,
  },
  NO_MAINTENANCE_PLAN: {
    status: 409,
    en: 'This equipment has no maintenance plan; set one first.',
    zh: '该设备尚无维护计划,请先制定。',
  },
  BREAKDOWN_OPEN: {
    status: 409,
    en: 'This equipment has a breakdown not yet repaired; record its repair first.',
    zh: '该设备有未修复的故障,请先记录维修。',
  },
  NO_OPEN_BREAKDOWN: {
    status: 409,
    en: 'This equipment has no breakdown to repair.',
    zh: '该设备没有待维修的故障。',
  },
});
