import type { RouteRecordRaw } from 'vue-router';

// QA's alerts: reports due and overdue, overdue CAPAs, effectiveness checks, extensions, NCs to disposition.
export const qualityRoutes: RouteRecordRaw[] = [
  {
    path: 'quality/alerts',
    name: 'qualityAlerts',
    component: () => import('@/views/quality/AlertsPage.vue'),
    meta: { title: 'quality.menu' },
  },
];
