import Router from '@koa/router';
import type { Services } from '../../platform/services.ts';
import { route } from '../../platform/http/route.ts';
import type { ListExport } from '../../exports/lists.ts';
import { KpiParams, KpiQuery, KpiRecordsQuery, KPI_IDS } from './schema.ts';
import { computeKpi, computeKpis, kpiRecords, type KpiRecord } from './service.ts';
import { dashboardOf } from './roleDashboards.ts';
import { z } from 'zod';

const tag = 'kpi';

// The drill-down as an Excel list: GET /api/v1/lists/kpi-records/export.xlsx?kpi=…&from=…&to=…
// the list's query is the drill-down's own filters plus which KPI (strict on the drill-down keys)
const ListQuery = z
  .object({ kpi: z.enum(KPI_IDS) })
  .passthrough()
  .transform((q, c) => {
    const { kpi, ...rest } = q;
    const parsed = KpiRecordsQuery.safeParse(rest);
    if (!parsed.success) {
      for (const i of parsed.error.issues) c.addIssue({ ...i, code: 'custom', message: i.message });
      return z.NEVER;
    }
    return { kpi, ...parsed.data };
  });

/** GET /api/v1/lists/kpi-records/export.xlsx (registered once, with the other lists, in modules/contributions.ts). */
export const kpiRecordsListExport: ListExport<KpiRecord, z.infer<typeof ListQuery>> = {
  permission: 'kpi.read',
  title: { en: 'KPI records', zh: 'KPI 记录' },
  query: ListQuery,
  columns: [
    { key: 'type', header: { en: 'Type', zh: '类型' }, value: (r) => r.type },
    { key: 'label', header: { en: 'Record', zh: '记录' }, value: (r) => r.label },
    { key: 'date', header: { en: 'Date', zh: '日期' }, value: (r) => r.date },
    { key: 'group', header: { en: 'Month / group', zh: '月份 / 分组' }, value: (r) => r.group },
    { key: 'quantity', header: { en: 'Quantity', zh: '数量' }, value: (r) => r.quantity },
    { key: 'detail', header: { en: 'Detail', zh: '说明' }, value: (r) => r.detail },
    { key: 'link', header: { en: 'Link', zh: '链接' }, value: (r) => r.link },
  ],
  rows: (s, _user, q) => kpiRecords(s, q.kpi, q),
};

export function kpiRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  route(
    r,
    {
      method: 'get',
      path: '/kpis',
      tag,
      summary: 'Every KPI of the period (and product): value, monthly series, definition (read-only)',
      access: 'kpi.read',
      query: KpiQuery,
    },
    async ({ query }) =>
      (await computeKpis(s, query)).map(({ records, ...k }) => ({ ...k, recordCount: records.length })),
  );
  route(
    r,
    {
      method: 'get',
      path: '/kpis/home',
      tag,
      summary: "The KPIs of the user's home dashboard (their roles'), as GET /kpis computes them",
      access: 'kpi.read',
      query: KpiQuery,
    },
    async ({ query, user }) =>
      Promise.all(
        dashboardOf(user).map(async (id) => {
          const { records, ...k } = await computeKpi(s, id, query);
          return { ...k, recordCount: records.length };
        }),
      ),
  );
  route(
    r,
    {
      method: 'get',
      path: '/kpis/:id/records',
      tag,
      summary: 'The records one KPI counts (drill-down), optionally of one month or one bar',
      access: 'kpi.read',
      params: KpiParams,
      query: KpiRecordsQuery,
    },
    async ({ params, query }) => kpiRecords(s, params.id, query),
  );
  return r;
}
