import type Router from '@koa/router';
import type { Services } from '../../platform/services.ts';
import { itemRoutes } from '../items/routes.ts';
import { supplierRoutes } from '../suppliers/routes.ts';
import { purchasingRoutes } from '../purchasing/routes.ts';
import { certificateRoutes } from '../purchasing/certificates.ts';
import { inspectionRoutes } from '../inspection/routes.ts';
import { inventoryRoutes } from './routes.ts';

/** The ERP core's routers (master data, suppliers, purchasing, incoming inspection, inventory). */
export const erpRoutes = (s: Services): Router[] => [itemRoutes(s), supplierRoutes(s), purchasingRoutes(s), certificateRoutes(s), inspectionRoutes(s), inventoryRoutes(s)];
