import { request } from './request';
import type { BilingualText, LifecycleAction, SignatureInput } from './types';

// The equipment registry: what a step may be performed with, and whether it is calibrated today.
export type EquipmentStatus = 'active' | 'out_of_service' | 'retired';
export const EQUIPMENT_STATUSES: EquipmentStatus[] = ['active', 'out_of_service', 'retired'];
export interface Calibration {
  date: string;
  result: 'pass' | 'fail';
  certificate: string;
  by: string;
  at: string;
}
/** The preventive maintenance plan (ISO 13485:2016 6.3): interval and checklist. */
export interface MaintenancePlan {
  intervalDays: number;
  checklist: Array<{ id: string; text: BilingualText }>;
  setBy: string;
  setAt: string;
}
export interface MaintenanceCheck {
  id: string;
  ok: boolean;
  note: string;
}
export interface MaintenancePart {
  description: string;
  quantity: number;
}
/** A maintenance or repair work record, signed "performed" by `by`. */
export interface MaintenanceRecord {
  kind: 'preventive' | 'repair';
  date: string;
  checks: MaintenanceCheck[];
  findings: string;
  parts: MaintenancePart[];
  breakdownId: string | null;
  by: string;
  at: string;
  signatureId: string;
}
export interface Breakdown {
  id: string;
  date: string;
  description: string;
  reportedBy: string;
  reportedAt: string;
  repairedOn: string | null;
  repairedBy: string | null;
}
export interface MaintenanceWork {
  date: string;
  checks?: Array<{ id: string; ok: boolean; note?: string }>;
  findings?: string;
  parts?: MaintenancePart[];
}
export interface Equipment {
  id: string;
  stream: string;
  code: string;
  name: BilingualText;
  type: string;
  /** both languages, the type code where none was given (issue 15 item 8) */
  typeLabel: BilingualText;
  location: string;
  locationLabel: BilingualText;
  calibrationIntervalDays: number;
  lastCalibratedOn: string | null;
  calibrationDue: string | null;
  status: EquipmentStatus;
  calibrated: boolean;
  ledgerVersion: number;
  calibrations: Calibration[];
  maintenancePlan: MaintenancePlan | null;
  lastMaintainedOn: string | null;
  maintenanceDue: string | null;
  maintenanceOverdue: boolean;
  maintenance: MaintenanceRecord[];
  breakdowns: Breakdown[];
  actions: EquipmentAvailableAction[];
}
export type EquipmentAction =
  | 'calibrate'
  | 'take_out_of_service'
  | 'return_to_service'
  | 'retire'
  | 'set_maintenance_plan'
  | 'record_maintenance'
  | 'report_breakdown'
  | 'repair';
export type EquipmentAvailableAction = LifecycleAction<EquipmentAction>;
/** The status each status action sets (POST /equipment/:id/status takes the status). */
export const STATUS_OF: Partial<Record<EquipmentAction, EquipmentStatus>> = {
  take_out_of_service: 'out_of_service',
  return_to_service: 'active',
  retire: 'retired',
};
export interface NewEquipment {
  code: string;
  name: BilingualText;
  type: string;
  typeLabel?: { en?: string; zh?: string };
  location: string;
  locationLabel?: { en?: string; zh?: string };
  calibrationIntervalDays: number;
  lastCalibratedOn?: string;
}

const path = (id: string) => `/equipment/${encodeURIComponent(id)}`;
export const equipmentApi = {
  list: (query: { type?: string; status?: EquipmentStatus | '' } = {}) => request<Equipment[]>('/equipment', { query }),
  get: (id: string) => request<Equipment>(path(id)),
  create: (input: NewEquipment) => request<Equipment>('/equipment', { method: 'POST', body: input }),
  calibrate: (
    id: string,
    input: { date: string; result: 'pass' | 'fail'; certificate: string; reason?: string; version?: number },
  ) => request<Equipment>(`${path(id)}/calibrations`, { method: 'POST', body: input }),
  setStatus: (id: string, status: EquipmentStatus, reason: string, version?: number) =>
    request<Equipment>(`${path(id)}/status`, { method: 'POST', body: { status, reason, version } }),
  setMaintenancePlan: (
    id: string,
    input: { intervalDays: number; checklist: BilingualText[]; lastMaintainedOn?: string; version?: number },
  ) => request<Equipment>(`${path(id)}/maintenance-plan`, { method: 'PUT', body: input }),
  recordMaintenance: (id: string, input: MaintenanceWork & SignatureInput & { version?: number }) =>
    request<Equipment>(`${path(id)}/maintenance`, { method: 'POST', body: input }),
  repair: (id: string, input: MaintenanceWork & SignatureInput & { version?: number }) =>
    request<Equipment>(`${path(id)}/repairs`, { method: 'POST', body: input }),
  reportBreakdown: (id: string, input: { date: string; description: string; version?: number }) =>
    request<Equipment>(`${path(id)}/breakdowns`, { method: 'POST', body: input }),
};
