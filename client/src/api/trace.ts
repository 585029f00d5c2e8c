import { request } from './request';

// Genealogy both ways (server/src/modules/trace/genealogy.ts): the rows are the one-screen tree.
export interface TraceRow {
  depth: number;
  type: 'lot' | 'workorder' | 'step';
  id: string;
  number: string;
  item: string;
  quantity: number | null;
  unit: string;
  detail: string;
  state: string;
  link: { route: string; id: string } | null;
}
export interface Trace {
  direction: 'backward' | 'forward';
  start: string[];
  rows: TraceRow[];
  summary?: { finished: number; states: Record<string, number>; customers: Array<{ code: string; units: number }> };
  /** Forward only: the rows are one page of `total` (the summary counts them all). */
  page?: { offset: number; limit: number; total: number };
}
export const traceApi = {
  backward: (q: { lot?: string; serial?: string }) => request<Trace>('/trace/backward', { query: q }),
  forward: (lot: string, page: { offset?: number; limit?: number } = {}) =>
    request<Trace>('/trace/forward', { query: { lot, ...page } }),
};
