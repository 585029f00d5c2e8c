import type { RouteRecordRaw } from 'vue-router';

export const delegationRoutes: RouteRecordRaw[] = [
  {
    path: 'delegations',
    name: 'delegations',
    component: () => import('@/views/delegation/DelegationsView.vue'),
    meta: { title: 'delegation.title' },
  },
];
