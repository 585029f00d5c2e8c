import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import { route } from '../../platform/http/route.ts';
import { qualityAlerts } from './service.ts';

/** QA's alerts: due and overdue reports, overdue CAPAs, effectiveness checks due, extension requests, NCs to disposition. */
export function qualityAlertRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  route(
    r,
    {
      method: 'get',
      path: '/quality/alerts',
      tag: 'quality',
      summary: "QA's alerts, with the days and hours remaining computed now",
      access: 'capa.approve', // QA (the approver of CAPAs); anyone else: 403
      query: z.object({}).strict(), // no parameters: an unknown or bracketed key is refused
    },
    async () => qualityAlerts(s),
  );
  return r;
}
