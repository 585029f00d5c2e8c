import type { RouteRecordRaw } from 'vue-router';

// Audits (ISO 13485:2016 8.2.4): the register and one audit's page.
export const auditRoutes: RouteRecordRaw[] = [
  {
    path: 'audits',
    name: 'audits',
    component: () => import('@/views/audits/AuditListView.vue'),
    meta: { title: 'audits.menu', permission: 'audits.read' },
  },
  {
    path: 'audits/:id',
    name: 'audit',
    component: () => import('@/views/audits/AuditView.vue'),
    props: true,
    meta: { title: 'audits.menu', permission: 'audits.read' },
  },
];
