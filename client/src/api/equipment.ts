import { request } from './request';
import type { BilingualText, LifecycleAction } from './types';

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
export interface Equipment {
  id: string;
  stream: string;
  code: string;
  name: BilingualText;
  type: string;
  location: string;
  calibrationIntervalDays: number;
  lastCalibratedOn: string | null;
  calibrationDue: string | null;
  status: EquipmentStatus;
  calibrated: boolean;
  ledgerVersion: number;
  calibrations: Calibration[];
  actions: EquipmentAvailableAction[];
}
export type EquipmentAction = 'calibrate' | 'take_out_of_service' | 'return_to_service' | 'retire';
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
  location: string;
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
};
