import type { RouteRecordRaw } from 'vue-router';

export const searchRoutes: RouteRecordRaw[] = [
  {
    path: 'search',
    name: 'search',
    component: () => import('@/views/search/SearchView.vue'),
    meta: { title: 'search.title' },
  },
];
