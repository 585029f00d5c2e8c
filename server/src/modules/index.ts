import type Router from '@koa/router';
import type { Services } from '../platform/services.ts';

// The bounded contexts (documents, inventory, production…) register their routers here.
export function moduleRoutes(_s: Services): Router[] {
  return [];
}
