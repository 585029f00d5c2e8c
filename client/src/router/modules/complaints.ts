import type { RouteRecordRaw } from 'vue-router';

// Complaints: the list and one complaint's page.
export const complaintRoutes: RouteRecordRaw[] = [
  {
    path: 'complaints',
    name: 'complaints',
    component: () => import('@/views/complaints/ComplaintListView.vue'),
    meta: { title: 'complaints.menu' },
  },
  {
    path: 'complaints/:id',
    name: 'complaint',
    component: () => import('@/views/complaints/ComplaintView.vue'),
    props: true,
    meta: { title: 'complaints.menu' },
  },
];
