import type Router from '@koa/router';
import type { Services } from '../platform/services.ts';
import { documentRoutes } from './documents/routes.ts';
import { trainingRoutes } from './training/routes.ts';
import { erpRoutes } from './inventory/erpRoutes.ts';
import { dmrRoutes } from './dmr/routes.ts';
import { equipmentRoutes } from './equipment/routes.ts';
import { productionRoutes } from './production/routes.ts';
import { portalRoutes } from '../portal/routes.ts';
import { exportRoutes } from '../exports/index.ts';
import { taskRoutes } from './tasks/routes.ts';

// The bounded contexts (documents, inventory, production…) register their routers here.
export function moduleRoutes(s: Services): Router[] {
  return [documentRoutes(s), trainingRoutes(s), ...erpRoutes(s), dmrRoutes(s), equipmentRoutes(s), productionRoutes(s), portalRoutes(s), exportRoutes(s), taskRoutes(s)];
}
