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
    path: 'audits/new',
    name: 'audit-new',
    component: () => import('@/views/audits/AuditNewView.vue'),
    meta: { title: 'audits.new', permission: 'audits.manage' },
  },
  {
    path: 'audits/programme',
    name: 'audit-programme',
    component: () => import('@/views/audits/AuditProgrammeView.vue'),
    meta: { title: 'audits.programme.title', permission: 'audits.read' },
  },
  {
    path: 'audits/:id',
    name: 'audit',
    component: () => import('@/views/audits/AuditView.vue'),
    props: true,
    meta: { title: 'audits.menu', permission: 'audits.read' },
  },
];
