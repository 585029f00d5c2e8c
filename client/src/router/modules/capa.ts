import type { RouteRecordRaw } from 'vue-router';

// CAPAs: the register and one CAPA's page.
export const capaRoutes: RouteRecordRaw[] = [
  {
    path: 'capas',
    name: 'capas',
    component: () => import('@/views/capa/CapaListView.vue'),
    meta: { title: 'capa.menu' },
  },
  {
    path: 'capas/:id',
    name: 'capa',
    component: () => import('@/views/capa/CapaView.vue'),
    props: true,
    meta: { title: 'capa.menu' },
  },
];
