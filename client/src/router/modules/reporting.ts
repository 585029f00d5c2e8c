import type { RouteRecordRaw } from 'vue-router';

// Adverse-event reporting: reportability decisions with their clocks, and the reporting rules.
export const reportingRoutes: RouteRecordRaw[] = [
  {
    path: 'reporting',
    name: 'reporting',
    component: () => import('@/views/reporting/ReportingListView.vue'),
    meta: { title: 'reporting.menu' },
  },
  {
    path: 'reporting/:id',
    name: 'reportability',
    component: () => import('@/views/reporting/ReportabilityView.vue'),
    props: true,
    meta: { title: 'reporting.menu' },
  },
];
