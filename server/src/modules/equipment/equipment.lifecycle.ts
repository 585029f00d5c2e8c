import { randomUUID } from 'node:crypto';
import { errors } from '../../platform/errors.ts';
import type { Lifecycle, Precondition, Transition } from '../../records/lifecycle.ts';
import { refusal } from '../../records/refusal.ts';
import { hasPermission } from '../../identity/roles.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import type { Bilingual } from '../items/item.record.ts';
import type { EquipmentState, MaintenanceWork } from './equipment.record.ts';
import { openBreakdown } from './maintenance.ts';
import { equipmentEvents, type EquipmentStatus, type MaintenanceAction } from './events.ts';
import { E } from './errors.ts';

// The equipment lifecycle (ISO 13485 7.6, control of monitoring and measuring equipment),
// declared once: active ⇄ out_of_service → retired. A calibration is recorded while in use or
// out of service (a failed one takes it out of service); status changes give their reason.
// A calibration is not signed, as before: the calibration certificate is the evidence. Nor is
// there a separation-of-duties rule: the calibrator records the laboratory's result.
// Maintenance (ISO 13485:2016 6.3 "requirements for maintenance activities, including the interval
// of performing the maintenance activities", records kept; 7.5.1; QMSR 820.70(g) by reference):
// a plan (interval, bilingual checklist), preventive maintenance and repairs recorded by the
// technician's `performed` signature (each checklist item answered, findings, parts), and
// breakdowns, which take the equipment out of service until the signed repair.
interface Calibration {
  date: string;
  result: 'pass' | 'fail';
  certificate: string;
}

/** The status changes, each an action of its own (the route POST /equipment/:id/status answers to `status`). */
export const STATUS_ACTIONS: Record<EquipmentStatus, string> = {
  out_of_service: 'take_out_of_service',
  active: 'return_to_service',
  retired: 'retire',
};
const TARGET = Object.fromEntries(Object.entries(STATUS_ACTIONS).map(([status, action]) => [action, status])) as Record<
  string,
  EquipmentStatus
>;

const noOpenBreakdown: Precondition<EquipmentState> = {
  refusal: refusal(E.BREAKDOWN_OPEN()),
  holds: (q) => !openBreakdown(q),
};
const hasBreakdown: Precondition<EquipmentState> = {
  refusal: refusal(E.NO_OPEN_BREAKDOWN()),
  holds: (q) => !!openBreakdown(q),
};
const hasPlan: Precondition<EquipmentState> = {
  refusal: refusal(E.NO_MAINTENANCE_PLAN()),
  holds: (q) => !!q.maintenancePlan,
};

const setStatus = (status: EquipmentStatus, from: EquipmentStatus[]): Transition<EquipmentState> => ({
  name: STATUS_ACTIONS[status],
  from,
  to: status,
  permission: 'equipment.manage',
  needsReason: true,
  // back in service only once a breakdown is repaired (by signature), never by a status change
  ...(status === 'active' ? { preconditions: [noOpenBreakdown] } : {}),
  event: (_q, _p, c) => equipmentEvents.change('equipment.statusChanged', { status }, c.input.reason),
});

const notInFuture = (date: string) => {
  if (date > todayUtc())
    throw errors.validation('body.date', { en: 'the date cannot be in the future', zh: '日期不能晚于今天' });
};

interface PlanInput {
  intervalDays: number;
  checklist: Bilingual[];
  lastMaintainedOn?: string;
}
/** The plan's next due date: one interval after the last maintenance (recorded, or stated with the plan), else after today. */
function planEvent(q: EquipmentState, c: PlanInput) {
  if (c.lastMaintainedOn) notInFuture(c.lastMaintainedOn);
  const last = [q.lastMaintainedOn, c.lastMaintainedOn ?? null]
    .filter((d): d is string => !!d)
    .sort()
    .pop();
  return {
    intervalDays: c.intervalDays,
    checklist: c.checklist.map((text, i) => ({ id: `c${i + 1}`, text })),
    due: addDays(last ?? todayUtc(), c.intervalDays),
  };
}

interface WorkInput {
  date: string;
  checks?: Array<{ id: string; ok: boolean; note?: string }>;
  findings?: string;
  parts?: Array<{ description: string; quantity: number }>;
}
/** The work as the technician states it: every checklist item answered once, a note on each not met. */
function work(q: EquipmentState, input: WorkInput, action: MaintenanceAction): MaintenanceWork {
  notInFuture(input.date);
  const items = action === 'repair' ? [] : (q.maintenancePlan?.checklist ?? []);
  const checks = input.checks ?? [];
  const ids = checks.map((c) => c.id);
  const missing = items.filter((i) => !ids.includes(i.id)).map((i) => i.id);
  const unknown = ids.filter((id, i) => !items.some((x) => x.id === id) || ids.indexOf(id) !== i);
  if (action !== 'repair' && (missing.length || unknown.length))
    throw errors.validation('body.checks', {
      en: `answer every checklist item once (${[...missing, ...unknown].join(', ')})`,
      zh: `每个检查项须回答且只回答一次(${[...missing, ...unknown].join('、')})`,
    });
  const noNote = checks.findIndex((c) => !c.ok && !c.note?.trim());
  if (noNote >= 0)
    throw errors.validation(`body.checks.${noNote}.note`, {
      en: 'say what was found on an item not met',
      zh: '未通过的检查项须说明发现的情况',
    });
  return {
    date: input.date,
    checks: action === 'repair' ? [] : checks.map((c) => ({ id: c.id, ok: c.ok, note: c.note ?? '' })),
    findings: input.findings ?? '',
    parts: input.parts ?? [],
  };
}

const signedWork = (action: MaintenanceAction): Transition<EquipmentState> => ({
  name: action,
  from: action === 'repair' ? ['out_of_service'] : ['active', 'out_of_service'],
  ...(action === 'repair' ? { to: 'active' } : {}),
  permission: 'equipment.maintain',
  signature: { meaning: 'performed', personal: true },
  needsValues: true,
  preconditions: [action === 'repair' ? hasBreakdown : hasPlan],
  prepare: ({ state, input }) => {
    const w = work(state, input as unknown as WorkInput, action);
    const broken = openBreakdown(state);
    if (action === 'repair' && broken && w.date < broken.date)
      throw errors.validation('body.date', {
        en: `the breakdown was reported on ${broken.date}`,
        zh: `故障报告日期为 ${broken.date}`,
      });
    return w;
  },
  recheck: (q, w: MaintenanceWork) => {
    if (action === 'record_maintenance' && q.lastMaintainedOn && w.date < q.lastMaintainedOn)
      throw errors.validation('body.date', {
        en: `the last maintenance was on ${q.lastMaintainedOn}`,
        zh: `上次维护日期为 ${q.lastMaintainedOn}`,
      });
  },
  event: (q, w: MaintenanceWork, c) =>
    equipmentEvents.change(
      'equipment.maintenanceProposed',
      { ...w, action, breakdownId: action === 'repair' ? (openBreakdown(q)?.id ?? null) : null },
      c.input.reason,
    ),
});

export const equipmentLifecycle: Lifecycle<EquipmentState> = {
  record: 'equipment',
  initial: 'active',
  states: ['active', 'out_of_service', 'retired'],
  final: ['retired'],
  transitions: [
    {
      name: 'calibrate',
      from: ['active', 'out_of_service'],
      permission: 'equipment.calibrate',
      needsValues: true,
      prepare: ({ input }): Calibration => {
        const c = input as unknown as Calibration;
        if (c.date > todayUtc())
          throw errors.validation('body.date', {
            en: 'a calibration date cannot be in the future',
            zh: '校准日期不能晚于今天',
          });
        return { date: c.date, result: c.result, certificate: c.certificate };
      },
      recheck: (q, c: Calibration) => {
        if (q.lastCalibratedOn && c.date < q.lastCalibratedOn) {
          throw errors.validation('body.date', {
            en: `the last calibration was on ${q.lastCalibratedOn}`,
            zh: `上次校准日期为 ${q.lastCalibratedOn}`,
          });
        }
      },
      event: (_q, c: Calibration, ctx) => equipmentEvents.change('equipment.calibrated', c, ctx.input.reason),
    },
    setStatus('out_of_service', ['active']),
    setStatus('active', ['out_of_service']),
    setStatus('retired', ['active', 'out_of_service']),
    {
      name: 'set_maintenance_plan',
      from: ['active', 'out_of_service'],
      permission: 'equipment.manage',
      needsValues: true,
      prepare: ({ state, input }) => planEvent(state, input as unknown as PlanInput),
      event: (_q, plan: ReturnType<typeof planEvent>, c) =>
        equipmentEvents.change('equipment.maintenancePlanned', plan, c.input.reason),
    },
    signedWork('record_maintenance'),
    {
      name: 'report_breakdown',
      from: ['active', 'out_of_service'],
      to: 'out_of_service',
      // whoever finds it broken on the shop floor reports it, as well as those who manage equipment
      who: (u) => hasPermission(u, 'production.execute') || hasPermission(u, 'equipment.manage'),
      needsValues: true,
      preconditions: [noOpenBreakdown],
      prepare: ({ input }) => {
        const b = input as unknown as { date: string; description: string };
        notInFuture(b.date);
        return { id: randomUUID(), date: b.date, description: b.description };
      },
      event: (_q, b: { id: string; date: string; description: string }, c) =>
        equipmentEvents.change('equipment.breakdownReported', b, c.input.reason),
    },
    signedWork('repair'),
  ],
  stateOf: (q) => q.status,
  signingAction: (q) => q.pending?.action ?? 'nothing_pending',
  wrongState: (t, state, q) =>
    state === 'retired'
      ? refusal(E.EQUIPMENT_RETIRED({ code: q.code }))
      : TARGET[t.name] === state
        ? refusal(E.EQUIPMENT_SAME_STATUS({ code: q.code, status: q.status }))
        : t.name === 'repair'
          ? refusal(E.NO_OPEN_BREAKDOWN())
          : undefined,
};
