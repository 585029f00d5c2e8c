import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import { route } from '../../platform/http/route.ts';
import { presentTraining } from './presenter.ts';
import { optional } from '../../platform/fields.ts';
import { completeTraining, listTrainings } from './trainingService.ts';

const Id = z.string().min(1).max(200);
const TrainingQuery = z.object({ user: optional(Id), document: optional(Id) });
const CompleteBody = z.object({ password: z.string().min(1).max(200), totp: optional(z.string().regex(/^\d{6}$/, 'six digits')) });

export function trainingRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  route(r, { method: 'get', path: '/training', tag: 'training', summary: 'Training records (own, or anyone\'s with training.read_all)', access: 'authenticated', query: TrainingQuery },
    async ({ query, user }) => (await listTrainings(s, user, query)).map(presentTraining));
  route(r, { method: 'post', path: '/training/:taskId/complete', tag: 'training', summary: 'Complete a training: e-signature "read and understood"', access: 'authenticated', params: z.object({ taskId: Id }), body: CompleteBody },
    async ({ params, body, user }) => presentTraining(await completeTraining(s, user, params.taskId, body)));
  return r;
}
