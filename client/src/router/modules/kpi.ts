import type { RouteRecordRaw } from 'vue-router';

// KPI dashboards: one card per KPI with its definition, filters, drill-down.
export const kpiRoutes: RouteRecordRaw[] = [
  {
    path: 'kpis',
    name: 'kpis',
    component: () => import('@/views/kpi/KpiDashboardView.vue'),
    meta: { title: 'kpi.menu', permission: 'kpi.read' },
  },
];
