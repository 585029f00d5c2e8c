import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import { IdParams, route } from '../../platform/http/route.ts';
import { errors } from '../../platform/errors.ts';
import { streamOf } from '../../records/registry.ts';
import { optional } from '../../platform/fields.ts';
import { Credentials, Id, Reason, Text } from '../../platform/schemas.ts';
import { LOT_SIZE_MAX, Measurement, fromText, whole } from '../../platform/fields.ts';
import { AQLS } from '../items/item.record.ts';
import { SAMPLE_SIZE_MAX } from './sampling.ts';
import { dispose, getInspection, listInspections, nonconformances, planFor, recordResults } from './service.ts';
import type { InspectionDoc, NcDoc } from './inspection.record.ts';

const ResultsBody = z.object({
  measurements: z.array(z.object({ characteristic: Text(100).min(1), values: z.array(Measurement).min(1).max(SAMPLE_SIZE_MAX) }).strict()).max(30).default([]),
  attributeDefectives: whole(0, SAMPLE_SIZE_MAX).optional(), notes: optional(Text(2000)), reason: optional(Reason),
}).strict();
const DispositionBody = z.object({ decision: z.enum(['release', 'reject', 'conditional']), reason: optional(Reason), description: optional(Text(4000)), ...Credentials }).strict();
const ListQuery = z.object({ status: optional(z.enum(['open', 'completed', 'dispositioned'])), lot: optional(Id) });
const PlanQuery = z.object({ lotSize: fromText(whole(1, LOT_SIZE_MAX)), aql: fromText(z.union(AQLS.map((a) => z.literal(a)) as unknown as [z.ZodLiteral<number>, z.ZodLiteral<number>], { error: `one of ${AQLS.join(', ')}` })) });

// The only shapes of inspections and nonconformances that leave the server.
export const presentInspection = (d: InspectionDoc) => ({
  id: d._id, stream: streamOf('inspection', d._id), number: d.number, lotIds: d.lotIds, lotNumber: d.lotNumber, item: d.item, supplier: d.supplier, po: d.po,
  receiptId: d.receiptId, lotSize: d.lotSize, plan: d.plan, characteristics: d.characteristics, status: d.status, result: d.result, defectives: d.defectives,
  measurements: d.measurements, attributeDefectives: d.attributeDefectives, notes: d.notes, inspector: d.inspector, completedAt: d.completedAt,
  disposition: d.disposition, createdAt: d.createdAt, version: d.ledgerVersion,
});
export const presentNc = (n: NcDoc) => ({
  id: n._id, stream: streamOf('nc', n._id), number: n.number, status: n.status, source: n.source, item: n.item, supplier: n.supplier,
  description: n.description, openedBy: n.openedBy, openedAt: n.openedAt, version: n.ledgerVersion,
});

export function inspectionRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  route(r, { method: 'get', path: '/sampling-plan', tag: 'inspection', summary: 'ISO 2859-1 plan (level II, normal, single) for a lot size and AQL', access: 'records.read', query: PlanQuery },
    async ({ query }) => planFor(query.lotSize, query.aql));
  route(r, { method: 'get', path: '/inspections', tag: 'inspection', summary: 'List incoming inspections', access: 'records.read', query: ListQuery },
    async ({ query }) => (await listInspections(s, query)).map(presentInspection));
  route(r, { method: 'get', path: '/inspections/:id', tag: 'inspection', summary: 'Get an incoming inspection', access: 'records.read', params: IdParams },
    async ({ params }) => presentInspection(await getInspection(s, params.id)));
  route(r, { method: 'post', path: '/inspections/:id/results', tag: 'inspection', summary: 'Enter inspection results (pass/fail is computed)', access: 'inspection.perform', params: IdParams, body: ResultsBody },
    async ({ params, body, user }) => presentInspection(await recordResults(s, user, params.id, body)));
  route(r, { method: 'post', path: '/inspections/:id/disposition', tag: 'inspection', summary: 'QA disposition: release, reject (opens an NC) or conditional use, by e-signature', access: 'inspection.disposition', params: IdParams, body: DispositionBody },
    async ({ params, body, user }) => presentInspection(await dispose(s, user, params.id, body)));
  route(r, { method: 'get', path: '/nonconformances', tag: 'inspection', summary: 'List nonconformances', access: 'records.read' },
    async () => (await nonconformances(s).find({}).sort({ openedAt: -1 }).limit(500).toArray()).map(presentNc));
  route(r, { method: 'get', path: '/nonconformances/:id', tag: 'inspection', summary: 'Get a nonconformance', access: 'records.read', params: IdParams },
    async ({ params }) => {
      const n = await nonconformances(s).findOne({ _id: params.id });
      if (!n) throw errors.notFound('nonconformance');
      return presentNc(n);
    });
  return r;
}
