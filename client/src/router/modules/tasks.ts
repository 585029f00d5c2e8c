import type { RouteRecordRaw } from 'vue-router';

export const taskRoutes: RouteRecordRaw[] = [
  { path: '', name: 'tasks', component: () => import('@/views/tasks/MyTasksView.vue'), meta: { title: 'menu.tasks' } },
];
