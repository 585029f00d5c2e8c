import { request } from './request';
import type { Credentials, FefoSuggestion, InventoryAlert, Lot, LotDetail, LotStatus } from './erpTypes';

// Lots and serials: the inventory list, alerts, FEFO and the lot's own commands.
const lotPath = (id: string) => `/lots/${encodeURIComponent(id)}`;

export interface InventoryQuery {
  status?: LotStatus | '';
  item?: string;
  location?: string;
  q?: string;
}

export const inventoryApi = {
  list: (query: InventoryQuery = {}) => request<Lot[]>('/inventory', { query: { ...query } }),
  alerts: () => request<InventoryAlert[]>('/inventory/alerts'),
  fefo: (item: string, qty: number) => request<FefoSuggestion>('/inventory/fefo', { query: { item, qty } }),
};

/** `version`: the lot version the user saw; a change since is refused (409 STALE_VERSION). */
export const lotsApi = {
  get: (id: string) => request<LotDetail>(lotPath(id)),
  move: (id: string, input: { from: string; to: string; quantity: number; version?: number }) =>
    request<Lot>(`${lotPath(id)}/move`, { method: 'POST', body: input }),
  adjust: (id: string, input: { location: string; delta: number; reason: string; version?: number }) =>
    request<Lot>(`${lotPath(id)}/adjust`, { method: 'POST', body: input }),
  hold: (id: string, reason: string, version?: number) =>
    request<Lot>(`${lotPath(id)}/hold`, { method: 'POST', body: { reason, version } }),
  releaseHold: (id: string, reason: string, credentials: Credentials, version?: number) =>
    request<Lot>(`${lotPath(id)}/release-hold`, { method: 'POST', body: { reason, ...credentials, version } }),
  scrap: (
    id: string,
    input: { quantity?: number; location?: string; reason: string; version?: number } & Credentials,
  ) => request<Lot>(`${lotPath(id)}/scrap`, { method: 'POST', body: input }),
};
