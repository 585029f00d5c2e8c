import type { RouteRecordRaw } from 'vue-router';

// Design controls (ISO 13485:2016 7.3): the design projects and one project's DHF and trace.
export const designRoutes: RouteRecordRaw[] = [
  {
    path: 'design-projects',
    name: 'design-projects',
    component: () => import('@/views/design/DesignProjectListView.vue'),
    meta: { title: 'design.menu', permission: 'design.read' },
  },
  {
    path: 'design-projects/:id',
    name: 'design-project',
    component: () => import('@/views/design/DesignProjectView.vue'),
    props: true,
    meta: { title: 'design.menu', permission: 'design.read' },
  },
];
