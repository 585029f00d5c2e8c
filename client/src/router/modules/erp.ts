import type { RouteRecordRaw } from 'vue-router';

// The ERP core: master data, suppliers, purchasing, incoming inspection and inventory.
const page = (
  path: string,
  name: string,
  component: RouteRecordRaw['component'],
  title: string,
  props = false,
): RouteRecordRaw => ({ path, name, component: component!, props, meta: { title } });

export const erpRoutes: RouteRecordRaw[] = [
  page('items', 'items', () => import('@/views/items/ItemListView.vue'), 'erp.menu.items'),
  page('locations', 'locations', () => import('@/views/items/LocationListView.vue'), 'erp.menu.locations'),
  page('customers', 'customers', () => import('@/views/items/CustomerListView.vue'), 'erp.menu.customers'),
  page('suppliers', 'suppliers', () => import('@/views/suppliers/SupplierListView.vue'), 'erp.menu.suppliers'),
  page('suppliers/:code', 'supplier', () => import('@/views/suppliers/SupplierView.vue'), 'erp.menu.suppliers', true),
  page(
    'requisitions',
    'requisitions',
    () => import('@/views/purchasing/RequisitionListView.vue'),
    'erp.menu.requisitions',
  ),
  page(
    'purchase-orders',
    'purchase-orders',
    () => import('@/views/purchasing/PoListView.vue'),
    'erp.menu.purchaseOrders',
  ),
  page(
    'purchase-orders/new',
    'purchase-order-create',
    () => import('@/views/purchasing/PoCreateView.vue'),
    'erp.menu.purchaseOrders',
  ),
  page(
    'purchase-orders/:id',
    'purchase-order',
    () => import('@/views/purchasing/PoView.vue'),
    'erp.menu.purchaseOrders',
    true,
  ),
  page('inspections', 'inspections', () => import('@/views/inspection/InspectionListView.vue'), 'erp.menu.inspections'),
  page(
    'inspections/:id',
    'inspection',
    () => import('@/views/inspection/InspectionView.vue'),
    'erp.menu.inspections',
    true,
  ),
  page('inventory', 'inventory', () => import('@/views/inventory/InventoryView.vue'), 'erp.menu.inventory'),
  page('dmrs', 'dmrs', () => import('@/views/dmr/DmrListView.vue'), 'dmr.menu'),
  page('dmrs/:id', 'dmr', () => import('@/views/dmr/DmrView.vue'), 'dmr.menu', true),
  page('trace', 'trace', () => import('@/views/trace/TraceView.vue'), 'trace.title'),
  page('lots/:id', 'lot', () => import('@/views/inventory/LotView.vue'), 'erp.menu.inventory', true),
];
