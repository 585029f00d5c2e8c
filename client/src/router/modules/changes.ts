import type { RouteRecordRaw } from 'vue-router';

// Change control (ECO, ISO 13485:2016 7.3.9): the register and one change request.
export const changeRoutes: RouteRecordRaw[] = [
  {
    path: 'changes',
    name: 'changes',
    component: () => import('@/views/changes/ChangeListView.vue'),
    meta: { title: 'changes.menu', permission: 'change.read' },
  },
  {
    path: 'changes/:id',
    name: 'change',
    component: () => import('@/views/changes/ChangeView.vue'),
    props: true,
    meta: { title: 'changes.menu', permission: 'change.read' },
  },
];
