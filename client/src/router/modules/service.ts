import type { RouteRecordRaw } from 'vue-router';

// Service records (QMSR 820.35(b)): the register and one record's page (`service-record` is the
// route the inbox task links to).
export const serviceRoutes: RouteRecordRaw[] = [
  {
    path: 'service-records',
    name: 'service-records',
    component: () => import('@/views/service/ServiceListView.vue'),
    meta: { title: 'service.menu', permission: 'service.read' },
  },
  {
    path: 'service-records/:id',
    name: 'service-record',
    component: () => import('@/views/service/ServiceView.vue'),
    props: true,
    meta: { title: 'service.menu', permission: 'service.read' },
  },
];
