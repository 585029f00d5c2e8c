import { request } from './request';

// KPI dashboards (issue 13 item 7): every KPI of a period and product, and the records one KPI
// counts (drill-down). Read-only; the server computes everything.
export type Bilingual = { en: string; zh: string };
export interface KpiFilters {
  from: string;
  to: string;
  productId?: string;
}
export interface KpiPoint {
  label: string;
  name?: Bilingual;
  value: number | null;
}
export interface Kpi {
  id: string;
  name: Bilingual;
  definition: Bilingual;
  unit: string;
  chart: 'line' | 'bar';
  value: number | null;
  note: Bilingual | null;
  extra: Record<string, number | null>;
  series: KpiPoint[];
  recordCount: number;
}
export interface KpiRecord {
  type: string;
  id: string;
  label: string;
  date: string;
  group: string;
  quantity: number | null;
  detail: string;
  link: string;
}

export const kpiApi = {
  list: (f: KpiFilters) => request<Kpi[]>('/kpis', { query: { ...f } }),
  records: (id: string, f: KpiFilters & { month?: string; label?: string }) =>
    request<KpiRecord[]>(`/kpis/${encodeURIComponent(id)}/records`, { query: { ...f } }),
};

/** The KPIs of the user's home dashboard: those their roles answer for (GET /kpis/home). */
export const homeKpis = (f: KpiFilters) => request<Kpi[]>('/kpis/home', { query: { ...f } });
