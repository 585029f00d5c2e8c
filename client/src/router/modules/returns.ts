import type { RouteRecordRaw } from 'vue-router';

// Returns (RMA): the register and one return's page.
export const returnsRoutes: RouteRecordRaw[] = [
  {
    path: 'returns',
    name: 'returns',
    component: () => import('@/views/returns/ReturnListView.vue'),
    meta: { title: 'returns.menu', permission: 'returns.read' },
  },
  {
    path: 'returns/:id',
    name: 'return',
    component: () => import('@/views/returns/ReturnView.vue'),
    props: true,
    meta: { title: 'returns.menu', permission: 'returns.read' },
  },
];
