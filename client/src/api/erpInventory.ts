import { request } from './request';
import type { Credentials, FefoSuggestion, InventoryAlert, Lot, LotDetail, LotStatus } from './erpTypes';

// Lots and serials: the inventory list, alerts, FEFO and the lot's own commands.
const lotPath = (id: string) => `/lots/${encodeURIComponent(id)}`;

export interface InventoryQuery { status?: LotStatus | ''; item?: string; location?: string; q?: string }

export const inventoryApi = {
  list: (query: InventoryQuery = {}) => request<Lot[]>('/inventory', { query: { ...query } }),
  alerts: () => request<InventoryAlert[]>('/inventory/alerts'),
  fefo: (item: string, qty: number) => request<FefoSuggestion>('/inventory/fefo', { query: { item, qty } }),
};

export const lotsApi = {
  get: (id: string) => request<LotDetail>(lotPath(id)),
  move: (id: string, input: { from: string; to: string; quantity: number }) => request<Lot>(`${lotPath(id)}/move`, { method: 'POST', body: input }),
  adjust: (id: string, input: { location: string; delta: number; reason: string }) => request<Lot>(`${lotPath(id)}/adjust`, { method: 'POST', body: input }),
  hold: (id: string, reason: string) => request<Lot>(`${lotPath(id)}/hold`, { method: 'POST', body: { reason } }),
  releaseHold: (id: string, reason: string, credentials: Credentials) =>
    request<Lot>(`${lotPath(id)}/release-hold`, { method: 'POST', body: { reason, ...credentials } }),
  scrap: (id: string, input: { quantity?: number; location?: string; reason: string } & Credentials) =>
    request<Lot>(`${lotPath(id)}/scrap`, { method: 'POST', body: input }),
};
