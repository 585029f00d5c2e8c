import type { RouteRecordRaw } from 'vue-router';

// Recalls / field safety corrective actions: the register and one recall's page.
export const recallRoutes: RouteRecordRaw[] = [
  {
    path: 'recalls',
    name: 'recalls',
    component: () => import('@/views/recall/RecallListView.vue'),
    meta: { title: 'recall.menu', permission: 'recall.read' },
  },
  {
    path: 'recalls/:id',
    name: 'recall',
    component: () => import('@/views/recall/RecallView.vue'),
    props: true,
    meta: { title: 'recall.menu', permission: 'recall.read' },
  },
];
