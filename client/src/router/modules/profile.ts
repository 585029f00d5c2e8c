import type { RouteRecordRaw } from 'vue-router';

export const profileRoutes: RouteRecordRaw[] = [
  {
    path: 'profile',
    name: 'profile',
    component: () => import('@/views/profile/ProfileView.vue'),
    meta: { title: 'menu.profile', portal: true },
  },
  {
    path: 'notifications',
    name: 'notifications',
    component: () => import('@/views/notifications/NotificationListView.vue'),
    meta: { title: 'listViews.notificationsPage' },
  },
];
