import { errors } from '../../platform/errors.ts';
import type { Lifecycle, Transition } from '../../records/lifecycle.ts';
import { refusal } from '../../records/refusal.ts';
import { todayUtc } from '../../platform/dates.ts';
import type { EquipmentState } from './equipment.record.ts';
import { equipmentEvents, type EquipmentStatus } from './events.ts';
import { E } from './errors.ts';

// The equipment lifecycle (ISO 13485 7.6, control of monitoring and measuring equipment),
// declared once: active ⇄ out_of_service → retired. A calibration is recorded while in use or
// out of service (a failed one takes it out of service); status changes give their reason.
// Nothing is signed here, as before: the calibration certificate is the evidence. Nor is there a
// separation-of-duties rule: the calibrator records the laboratory's result, no one reviews it.
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

const setStatus = (status: EquipmentStatus, from: EquipmentStatus[]): Transition<EquipmentState> => ({
  name: STATUS_ACTIONS[status],
  from,
  to: status,
  permission: 'equipment.manage',
  needsReason: true,
  event: (_q, _p, c) => equipmentEvents.change('equipment.statusChanged', { status }, c.input.reason),
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
  ],
  stateOf: (q) => q.status,
  wrongState: (t, state, q) =>
    refusal(
      TARGET[t.name] === state
        ? E.EQUIPMENT_SAME_STATUS({ code: q.code, status: q.status })
        : E.EQUIPMENT_RETIRED({ code: q.code }),
    ),
};
