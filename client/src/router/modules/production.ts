import type { RouteRecordRaw } from 'vue-router';

// Production: work orders (the eDHR), the shop-floor screen, the equipment registry, and the
// verification page the QR code of every exported PDF points to.
export const productionRoutes: RouteRecordRaw[] = [
  {
    path: 'workorders',
    name: 'workorders',
    component: () => import('@/views/production/WorkOrderListView.vue'),
    meta: { title: 'production.menu.workOrders' },
  },
  {
    path: 'workorders/:id',
    name: 'workorder',
    component: () => import('@/views/production/WorkOrderView.vue'),
    props: true,
    meta: { title: 'production.menu.workOrders' },
  },
  {
    path: 'shop-floor',
    name: 'shop-floor',
    component: () => import('@/views/shopfloor/ShopFloorHome.vue'),
    meta: { title: 'production.menu.shopFloor', permission: 'production.execute' },
  },
  {
    path: 'shop-floor/:id',
    name: 'shop-floor-workorder',
    component: () => import('@/views/shopfloor/ShopFloorView.vue'),
    props: true,
    meta: { title: 'production.menu.shopFloor', permission: 'production.execute', tablet: true },
  },
  {
    path: 'equipment',
    name: 'equipment',
    component: () => import('@/views/equipment/EquipmentListView.vue'),
    meta: { title: 'production.menu.equipment' },
  },
  {
    path: 'equipment/:id',
    name: 'equipment-item',
    component: () => import('@/views/equipment/EquipmentView.vue'),
    props: true,
    meta: { title: 'production.menu.equipment' },
  },
  {
    path: 'verify/:stream(.*)',
    name: 'verify',
    component: () => import('@/views/verify/VerifyView.vue'),
    props: true,
    meta: { title: 'verify.title', portal: true },
  },
];
