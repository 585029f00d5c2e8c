import type { RouteRecordRaw } from 'vue-router';

export const documentRoutes: RouteRecordRaw[] = [
  {
    path: 'documents',
    name: 'documents',
    component: () => import('@/views/documents/DocumentListView.vue'),
    meta: { title: 'menu.documents' },
  },
  {
    path: 'documents/new',
    name: 'document-create',
    component: () => import('@/views/documents/DocumentCreateView.vue'),
    meta: { title: 'menu.newDocument' },
  },
  {
    path: 'documents/:id',
    name: 'document',
    component: () => import('@/views/documents/DocumentView.vue'),
    props: true,
    meta: { title: 'menu.documents' },
  },
];
