import type { RouteRecordRaw } from 'vue-router';

// Sales orders: the list and one order's page.
export const salesRoutes: RouteRecordRaw[] = [
  {
    path: 'sales-orders',
    name: 'sales-orders',
    component: () => import('@/views/sales/SalesOrderListView.vue'),
    meta: { title: 'sales.menu', permission: 'sales.read' },
  },
  {
    path: 'sales-orders/:id',
    name: 'sales-order',
    component: () => import('@/views/sales/SalesOrderView.vue'),
    props: true,
    meta: { title: 'sales.menu', permission: 'sales.read' },
  },
];
