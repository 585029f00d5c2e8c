import type { RouteRecordRaw } from 'vue-router';

// The auditor portal: read-only, scoped by a grant (server/src/portal). `portal: true` marks the
// pages a portal-only account may open; every other page sends it back to the portal.
export const portalRoutes: RouteRecordRaw[] = [
  {
    path: 'portal',
    name: 'portal',
    component: () => import('@/views/portal/PortalView.vue'),
    meta: { title: 'portal.menu', permission: 'portal.read', portal: true },
  },
  {
    path: 'portal/:grantId/records/:stream(.*)',
    name: 'portal-record',
    component: () => import('@/views/portal/PortalRecordView.vue'),
    props: true,
    meta: { title: 'portal.menu', permission: 'portal.read', portal: true },
  },
];
