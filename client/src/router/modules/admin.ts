import type { RouteRecordRaw } from 'vue-router';

export const adminRoutes: RouteRecordRaw[] = [
  {
    path: 'admin/users',
    name: 'admin-users',
    component: () => import('@/views/admin/UsersView.vue'),
    meta: { title: 'menu.users', permission: 'users.manage' },
  },
  {
    path: 'admin/roles',
    name: 'admin-roles',
    component: () => import('@/views/admin/RolesView.vue'),
    meta: { title: 'menu.roles', permission: 'roles.read' },
  },
  {
    path: 'admin/numbering',
    name: 'admin-numbering',
    component: () => import('@/views/admin/NumberingSchemesView.vue'),
    meta: { title: 'menu.numbering', permission: 'numbering.manage' },
  },
  {
    path: 'admin/audit-grants',
    name: 'admin-audit-grants',
    component: () => import('@/views/admin/AuditGrantsView.vue'),
    meta: { title: 'portal.grants.menu', permission: 'portal.grant' },
  },
  {
    path: 'admin/migration',
    name: 'admin-migration',
    component: () => import('@/views/migration/MigrationView.vue'),
    meta: { title: 'migration.menu', permission: 'migration.run' },
  },
  {
    path: 'admin/validation',
    name: 'admin-validation',
    component: () => import('@/views/admin/ValidationView.vue'),
    meta: { title: 'validation.menu', permission: 'validation.run' },
  },
];
