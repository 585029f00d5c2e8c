import Router from '@koa/router';
import type { Services } from '../../platform/services.ts';
import { IdParams, route } from '../../platform/http/route.ts';
import { adjustLot, countLot, decideOnLot, holdLot, issueLot, moveLot, shipSerial } from './service.ts';
import { fefo, inventoryAlerts, listLots, lotEvidence } from './queries.ts';
import { presentLot, presentLotDetail } from './presenter.ts';
import { startExpirySweep } from './expirySweep.ts';
import { AdjustBody, CountBody, FefoQuery, HoldBody, InventoryQuery, IssueBody, MoveBody, ReleaseHoldBody, ScrapBody, ShipBody } from './schema.ts';

export function inventoryRoutes(s: Services) {
  startExpirySweep(s);
  const r = new Router({ prefix: '/api/v1' });
  route(r, { method: 'get', path: '/inventory', tag: 'inventory', summary: 'List lots and serials (filter by status, item, location, text)', access: 'records.read', query: InventoryQuery },
    async ({ query }) => (await listLots(s, query)).map(presentLot));
  route(r, { method: 'get', path: '/inventory/fefo', tag: 'inventory', summary: 'FEFO picking suggestion: released, unexpired lots in expiry order', access: 'records.read', query: FefoQuery },
    async ({ query }) => fefo(s, query.item, query.qty));
  route(r, { method: 'get', path: '/inventory/alerts', tag: 'inventory', summary: 'Expiry, safety stock and reorder alerts', access: 'records.read' },
    async () => inventoryAlerts(s));
  route(r, { method: 'get', path: '/lots/:id', tag: 'inventory', summary: 'A lot with its receipt, inspection, disposition, movements, signatures and ledger check', access: 'records.read', params: IdParams },
    async ({ params }) => presentLotDetail(await lotEvidence(s, params.id)));
  route(r, { method: 'post', path: '/lots/:id/move', tag: 'inventory', summary: 'Move a quantity between locations', access: 'inventory.manage', params: IdParams, body: MoveBody },
    async ({ params, body, user }) => presentLot(await moveLot(s, user, params.id, body)));
  route(r, { method: 'post', path: '/lots/:id/adjust', tag: 'inventory', summary: 'Adjust the quantity at a location (with a reason)', access: 'inventory.manage', params: IdParams, body: AdjustBody },
    async ({ params, body, user }) => presentLot(await adjustLot(s, user, params.id, body)));
  route(r, { method: 'post', path: '/lots/:id/count', tag: 'inventory', summary: 'Record a stock count (the difference becomes an adjustment)', access: 'inventory.manage', params: IdParams, body: CountBody },
    async ({ params, body, user }) => presentLot(await countLot(s, user, params.id, body)));
  route(r, { method: 'post', path: '/lots/:id/issue', tag: 'inventory', summary: 'Issue (consume) a quantity for a work order', access: 'inventory.issue', params: IdParams, body: IssueBody },
    async ({ params, body, user }) => presentLot(await issueLot(s, user, params.id, body)));
  route(r, { method: 'post', path: '/lots/:id/hold', tag: 'inventory', summary: 'Put a lot on hold', access: 'inventory.hold', params: IdParams, body: HoldBody },
    async ({ params, body, user }) => presentLot(await holdLot(s, user, params.id, body.reason, body.source)));
  route(r, { method: 'post', path: '/lots/:id/release-hold', tag: 'inventory', summary: 'Release a lot from hold (QA e-signature "released")', access: 'inventory.release', params: IdParams, body: ReleaseHoldBody },
    async ({ params, body, user }) => presentLot(await decideOnLot(s, user, params.id, 'release_hold', body)));
  route(r, { method: 'post', path: '/lots/:id/scrap', tag: 'inventory', summary: 'Scrap a quantity (disposition e-signature "approved")', access: 'inventory.release', params: IdParams, body: ScrapBody },
    async ({ params, body, user }) => presentLot(await decideOnLot(s, user, params.id, 'scrap', body)));
  route(r, { method: 'post', path: '/lots/:id/ship', tag: 'inventory', summary: 'Ship a serialized unit to a customer (warranty from the ship date)', access: 'inventory.ship', params: IdParams, body: ShipBody },
    async ({ params, body, user }) => presentLot(await shipSerial(s, user, params.id, body)));
  return r;
}
