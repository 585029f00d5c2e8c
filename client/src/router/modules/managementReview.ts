import type { RouteRecordRaw } from 'vue-router';

// Management reviews (ISO 13485:2016 5.6): the list and one review's page.
export const managementReviewRoutes: RouteRecordRaw[] = [
  {
    path: 'management-reviews',
    name: 'managementReviews',
    component: () => import('@/views/managementReview/ReviewListView.vue'),
    meta: { title: 'managementReview.menu', permission: 'review.read' },
  },
  {
    path: 'management-reviews/:id',
    name: 'managementReview',
    component: () => import('@/views/managementReview/ReviewView.vue'),
    props: true,
    meta: { title: 'managementReview.menu', permission: 'review.read' },
  },
];
