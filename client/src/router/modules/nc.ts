import type { RouteRecordRaw } from 'vue-router';

// Nonconformances: the list and one NC's page.
export const ncRoutes: RouteRecordRaw[] = [
  {
    path: 'ncs',
    name: 'ncs',
    component: () => import('@/views/nc/NcListView.vue'),
    meta: { title: 'nc.menu' },
  },
  {
    path: 'ncs/:id',
    name: 'nc',
    component: () => import('@/views/nc/NcView.vue'),
    props: true,
    meta: { title: 'nc.menu' },
  },
];
