import type { RouteRecordRaw } from 'vue-router';

// Risk management (ISO 14971:2019): files and plans per device, and one device's file.
export const riskRoutes: RouteRecordRaw[] = [
  {
    path: 'risk-files',
    name: 'risk-files',
    component: () => import('@/views/risk/RiskFileListView.vue'),
    meta: { title: 'risk.menu', permission: 'risk.read' },
  },
  {
    path: 'risk-files/:id',
    name: 'risk-file',
    component: () => import('@/views/risk/RiskFileView.vue'),
    props: true,
    meta: { title: 'risk.menu', permission: 'risk.read' },
  },
];
