import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import { route } from '../../platform/http/route.ts';
import { BilingualView } from '../../platform/schemas.ts';
import { allTaskSources, type Task } from '../../records/contributions.ts';

// One inbox over the bounded contexts: each registers a task source (records/contributions.ts;
// the list: modules/contributions.ts) giving what waits for this user; the inbox asks them in
// order and sorts by due date (undated last; a stable sort keeps each source's order on a tie).
const taskView = (kinds: string[]) =>
  z.object({
    id: z.string(),
    kind: z.enum(kinds as [string, ...string[]]),
    number: z.string(),
    title: BilingualView,
    revision: z.string(),
    due: z.string().nullable(),
    documentId: z.string().optional(),
    link: z.object({ route: z.string(), id: z.string() }),
  });

export function taskRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  const sources = allTaskSources();
  route(
    r,
    {
      method: 'get',
      path: '/tasks',
      tag: 'tasks',
      summary:
        'My tasks: document reviews, approvals, training and periodic reviews; work orders, steps, deviations, DHR releases and calibrations',
      access: 'authenticated',
      response: z.array(taskView(sources.flatMap((x) => [...x.kinds]))),
    },
    async ({ user }) => {
      const all: Task[] = [];
      for (const source of sources) all.push(...(await source.tasksFor(s, user)));
      return all.sort((a, b) => (a.due ?? '9999').localeCompare(b.due ?? '9999'));
    },
  );
  return r;
}
