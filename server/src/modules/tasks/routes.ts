import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import { route } from '../../platform/http/route.ts';
import { tasksFor } from '../documents/queries.ts';
import { productionTasksFor } from '../production/tasks.ts';

// One inbox over the bounded contexts: each contributes what waits for this user, and the inbox
// sorts by due date (undated last). `link` names the client route that opens the task.
const Bilingual = z.object({ zh: z.string(), en: z.string() });
export const TASK_KINDS = ['review', 'approval', 'training', 'periodic_review', 'wo_release', 'wo_step', 'wo_verify', 'deviation', 'dhr_release', 'calibration'] as const;
export const TaskView = z.object({
  id: z.string(), kind: z.enum(TASK_KINDS), number: z.string(), title: Bilingual, revision: z.string(), due: z.string().nullable(),
  documentId: z.string().optional(), link: z.object({ route: z.string(), id: z.string() }),
});

export function taskRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  route(r, { method: 'get', path: '/tasks', tag: 'tasks', summary: 'My tasks: document reviews, approvals, training and periodic reviews; work orders, steps, deviations, DHR releases and calibrations', access: 'authenticated', response: z.array(TaskView) },
    async ({ user }) => {
      const documents = (await tasksFor(s, user)).map((t) => ({ ...t, link: { route: 'document', id: t.documentId } }));
      const all = [...documents, ...(await productionTasksFor(s, user))];
      return all.sort((a, b) => (a.due ?? '9999').localeCompare(b.due ?? '9999'));
    });
  return r;
}
