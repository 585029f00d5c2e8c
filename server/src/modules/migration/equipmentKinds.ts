import { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import { hasPermission } from '../../identity/roles.ts';
import { todayUtc } from '../../platform/dates.ts';
import { streamOf } from '../../records/registry.ts';
import { CalibrationBody, RegisterEquipmentBody } from '../equipment/schema.ts';
import { changeEquipmentStatus, equipment, recordCalibration, registerEquipment } from '../equipment/service.ts';
import type { NewEquipment } from '../equipment/service.ts';
import type { CellIssue, Column, KindDef } from './kindTypes.ts';
import { bilingual, strip, text } from './kindTypes.ts';

// Equipment and its calibration history (issue 14 item 3; ISO 13485:2016 7.6: monitoring and
// measuring equipment calibrated at specified intervals, records of the results kept). Two
// registers, imported in this order: the equipment (code, interval, and optionally the last
// calibration date — the due date is the last date plus the interval, as the equipment record
// computes it), then its calibration history, one row per calibration by equipment code, each
// recorded through the equipment module's own `calibrate` command (a failed calibration takes the
// equipment out of service, a passed one moves the due date on). History rows of one piece of
// equipment are taken in date order and none may be older than the calibration it already has.

const issue = (key: string, en: string, zh: string): CellIssue => ({ key, en, zh });
const names: Column[] = [
  { key: 'name.zh', en: 'Name (Chinese)', zh: '名称(中文)', required: true, example: '扭力扳手' },
  { key: 'name.en', en: 'Name (English)', zh: '名称(英文)', required: true, example: 'Torque wrench' },
];
const byCode = (s: Services, code: string) => equipment(s).findOne({ code });

export const equipmentKind: KindDef = {
  keyColumn: 'code',
  schema: RegisterEquipmentBody,
  columns: [
    { key: 'code', en: 'Equipment code', zh: '设备编码', required: true, example: 'EQ-TW-01' },
    ...names,
    { key: 'type', en: 'Type', zh: '类型', required: true, example: 'torque wrench' },
    { key: 'location', en: 'Location', zh: '位置', required: true, example: 'Line 1' },
    {
      key: 'calibrationIntervalDays',
      en: 'Calibration interval (days)',
      zh: '校准周期(天)',
      required: true,
      number: true,
      example: '365',
    },
    {
      key: 'lastCalibratedOn',
      en: 'Last calibrated (YYYY-MM-DD)',
      zh: '上次校准日期(YYYY-MM-DD)',
      date: true,
      example: '2025-09-01',
    },
  ],
  body: (v) =>
    strip({
      code: text(v.code),
      name: bilingual(v, 'name'),
      type: text(v.type),
      location: text(v.location),
      calibrationIntervalDays: v.calibrationIntervalDays,
      lastCalibratedOn: text(v.lastCalibratedOn),
    }),
  exists: async (s, code) => Boolean(await s.ledger.head(`equipment-code:${code}`)),
  check: async (_s, user, _v, parsed) => {
    const out: CellIssue[] = [];
    if (!hasPermission(user, 'equipment.manage'))
      out.push(issue('code', 'registering equipment needs the right to manage equipment', '登记设备需要设备管理权限'));
    const last = (parsed as NewEquipment).lastCalibratedOn;
    if (last && last > todayUtc())
      out.push(issue('lastCalibratedOn', 'a calibration date cannot be in the future', '校准日期不能晚于今天'));
    return out;
  },
  create: async (s, user, parsed) =>
    streamOf('equipment', (await registerEquipment(s, user, parsed as NewEquipment))._id),
  undo: async (s, user, stream, reason) => {
    await changeEquipmentStatus(s, user, stream.slice(stream.indexOf(':') + 1), 'retired', reason);
  },
};

const CalibrationRow = CalibrationBody.pick({ date: true, result: true, certificate: true }).extend({
  equipment: z.string().trim().min(1).max(40),
});
type CalibrationRowT = z.infer<typeof CalibrationRow>;

export const calibrationsKind: KindDef = {
  keyColumn: 'certificate',
  schema: CalibrationRow,
  columns: [
    { key: 'equipment', en: 'Equipment code', zh: '设备编码', required: true, example: 'EQ-TW-01' },
    {
      key: 'date',
      en: 'Calibrated on (YYYY-MM-DD)',
      zh: '校准日期(YYYY-MM-DD)',
      required: true,
      date: true,
      example: '2025-09-01',
    },
    { key: 'result', en: 'Result (pass/fail)', zh: '结果(pass/fail)', required: true, example: 'pass' },
    { key: 'certificate', en: 'Certificate number', zh: '校准证书编号', required: true, example: 'CAL-2025-0915' },
  ],
  body: (v) =>
    strip({
      equipment: text(v.equipment),
      date: text(v.date),
      result: typeof v.result === 'string' ? v.result.toLowerCase() : v.result,
      certificate: text(v.certificate),
    }),
  exists: async (s, cert) => Boolean(await equipment(s).findOne({ 'calibrations.certificate': cert })),
  check: async (s, user, _v, parsed) => {
    const c = parsed as CalibrationRowT;
    const out: CellIssue[] = [];
    if (!hasPermission(user, 'equipment.calibrate'))
      return [issue('equipment', 'recording calibrations needs the right to calibrate', '记录校准需要校准权限')];
    const q = await byCode(s, c.equipment);
    if (!q) out.push(issue('equipment', `no equipment ${c.equipment}`, `没有设备 ${c.equipment}`));
    else if (q.status === 'retired')
      out.push(issue('equipment', `equipment ${c.equipment} is retired`, `设备 ${c.equipment} 已报废`));
    else if (q.lastCalibratedOn && c.date < q.lastCalibratedOn)
      out.push(
        issue(
          'date',
          `older than its last calibration (${q.lastCalibratedOn})`,
          `早于上次校准日期(${q.lastCalibratedOn})`,
        ),
      );
    if (c.date > todayUtc())
      out.push(issue('date', 'a calibration date cannot be in the future', '校准日期不能晚于今天'));
    return out;
  },
  // the history of one piece of equipment in date order (the command refuses a date older than the last)
  fileCheck: async (_s, rows) => {
    const last = new Map<string, { date: string; row: number }>();
    const out: Array<CellIssue & { row: number }> = [];
    for (const g of rows) {
      const c = g.parsed as CalibrationRowT;
      const prev = last.get(c.equipment);
      if (prev && c.date < prev.date)
        out.push({
          row: g.row,
          key: 'date',
          en: `out of order: row ${prev.row} of ${c.equipment} is later (${prev.date})`,
          zh: `顺序错误:${c.equipment} 的第 ${prev.row} 行日期更晚(${prev.date})`,
        });
      else last.set(c.equipment, { date: c.date, row: g.row });
    }
    return out;
  },
  create: async (s, user, parsed) => {
    const c = parsed as CalibrationRowT;
    const q = (await byCode(s, c.equipment))!;
    await recordCalibration(s, user, q._id, { date: c.date, result: c.result, certificate: c.certificate });
    return streamOf('equipment', q._id);
  },
};
