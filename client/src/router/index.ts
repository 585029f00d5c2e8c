import { createRouter, createWebHistory } from 'vue-router';
import { bindSession, setUnauthorizedHandler } from '@/api/request';
import { useAuthStore } from '@/stores/auth';
import { useDirectoryStore } from '@/stores/directory';
import AppLayout from '@/layouts/AppLayout.vue';
import { authRoutes } from './modules/auth';
import { taskRoutes } from './modules/tasks';
import { documentRoutes } from './modules/documents';
import { adminRoutes } from './modules/admin';
import { profileRoutes } from './modules/profile';
import { erpRoutes } from './modules/erp';
import { productionRoutes } from './modules/production';
import { complaintRoutes } from './modules/complaints';
import { portalRoutes } from './modules/portal';
import { capaRoutes } from './modules/capa';
import { riskRoutes } from './modules/risk';
import { designRoutes } from './modules/design';
import { changeRoutes } from './modules/changes';
import { qualityRoutes } from './modules/quality';
import { ncRoutes } from './modules/nc';
import { reportingRoutes } from './modules/reporting';
import { salesRoutes } from './modules/sales';
import { recallRoutes } from './modules/recall';
import { returnsRoutes } from './modules/returns';
import { serviceRoutes } from './modules/service';
import { searchRoutes } from './modules/search';
import { auditRoutes } from './modules/audits';
import { managementReviewRoutes } from './modules/managementReview';
import { kpiRoutes } from './modules/kpi';
import { delegationRoutes } from './modules/delegation';

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean;
    /** A permission from GET /roles the user needs to open this page. */
    permission?: string;
    title?: string;
    /** Open to portal-only accounts (auditors); they are sent to the portal from anywhere else. */
    portal?: boolean;
    /** A tablet screen (the shop floor): shown without the side menu. */
    tablet?: boolean;
  }
}

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    ...authRoutes,
    {
      path: '/',
      component: AppLayout,
      children: [
        ...taskRoutes,
        ...delegationRoutes,
        ...documentRoutes,
        ...erpRoutes,
        ...productionRoutes,
        ...ncRoutes,
        ...salesRoutes,
        ...recallRoutes,
        ...returnsRoutes,
        ...serviceRoutes,
        ...searchRoutes,
        ...auditRoutes,
        ...managementReviewRoutes,
        ...kpiRoutes,
        ...complaintRoutes,
        ...reportingRoutes,
        ...capaRoutes,
        ...riskRoutes,
        ...designRoutes,
        ...changeRoutes,
        ...qualityRoutes,
        ...portalRoutes,
        ...adminRoutes,
        ...profileRoutes,
      ],
    },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
});

router.beforeEach(async (to) => {
  const auth = useAuthStore();
  await auth.restore();
  if (to.meta.public) return auth.isAuthenticated && to.name === 'login' ? { name: 'tasks' } : true;
  if (!auth.isAuthenticated) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
  // An expired or temporary password must be changed before anything else.
  if (auth.user?.mustChangePassword && to.name !== 'change-password') return { name: 'change-password' };
  if (!auth.user?.mustChangePassword && to.name === 'change-password') return { name: 'tasks' };
  const directory = useDirectoryStore();
  await directory.load();
  if (directory.portalOnly && !to.meta.portal && to.name !== 'change-password') return { name: 'portal' };
  if (to.meta.permission && !directory.can(to.meta.permission)) return { name: 'tasks' };
  return true;
});

bindSession({ csrfToken: () => useAuthStore().csrfToken, clear: () => useAuthStore().clear() });
setUnauthorizedHandler(() => {
  const current = router.currentRoute.value;
  if (current.name !== 'login') void router.push({ name: 'login', query: { redirect: current.fullPath } });
});
