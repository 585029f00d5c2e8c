import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { route } from '../../platform/http/route.ts';
import { BilingualView } from '../../platform/schemas.ts';
import { allTaskSources, type Task } from '../../records/contributions.ts';
import { principalsOf } from '../delegation/delegationService.ts';
import { todayUtc } from '../../platform/dates.ts';

// One inbox over the bounded contexts: each registers a task source (records/contributions.ts;
// the list: modules/contributions.ts) giving what waits for this user; the inbox asks them in
// order and sorts by due date (undated last; a stable sort keeps each source's order on a tie).
// A task the user would be refused now (not trained on the step's work instruction…) carries
// `blockedBy`: the reason in both languages and the page that fixes it; it is listed, never counted
// as actionable.
const link = z.object({ route: z.string(), id: z.string() });
const taskView = (kinds: string[]) =>
  z.object({
    id: z.string(),
    kind: z.enum(kinds as [string, ...string[]]),
    number: z.string(),
    title: BilingualView,
    revision: z.string(),
    due: z.string().nullable(),
    documentId: z.string().optional(),
    link,
    blockedBy: z.object({ code: z.string(), en: z.string(), zh: z.string(), link: link.optional() }).optional(),
    onBehalfOf: z.object({ id: z.string(), name: z.string(), delegationId: z.string() }).optional(),
  });
const countsView = z.object({
  total: z.number().int(),
  actionable: z.number().int(),
  blocked: z.number().int(),
  overdue: z.number().int(),
  byKind: z.record(z.string(), z.number().int()),
});

export async function tasksOf(s: Services, user: SessionUser): Promise<Task[]> {
  // the sources are asked at once (each reads in-process indexes: records/openRecords.ts) and their
  // lists joined in the order they are registered
  const [own, principals] = await Promise.all([
    Promise.all(allTaskSources().map((source) => source.tasksFor(s, user))),
    principalsOf(s, user),
  ]);
  const all: Task[] = own.flat();
  // the tasks of the people the user stands in for now, in the roles handed over; never their training (issue 15 item 6)
  for (const p of principals) {
    const theirs = await Promise.all(
      allTaskSources()
        .filter((x) => !x.kinds.includes('training'))
        .map((source) => source.tasksFor(s, p.user)),
    );
    for (const t of theirs.flat())
      all.push({ ...t, onBehalfOf: { id: p.user.id, name: p.user.fullName, delegationId: p.delegationId } });
  }
  return all.sort((a, b) => (a.due ?? '9999').localeCompare(b.due ?? '9999'));
}

/** The menu's badge: how many tasks, how many the user can act on now, how many are overdue, by kind. */
export function countTasks(tasks: readonly Task[], today = todayUtc()) {
  const byKind: Record<string, number> = {};
  for (const t of tasks) byKind[t.kind] = (byKind[t.kind] ?? 0) + 1;
  const blocked = tasks.filter((t) => t.blockedBy).length;
  return {
    total: tasks.length,
    actionable: tasks.length - blocked,
    blocked,
    overdue: tasks.filter((t) => t.due !== null && t.due < today).length,
    byKind,
  };
}

export function taskRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  const kinds = allTaskSources().flatMap((x) => [...x.kinds]);
  route(
    r,
    {
      method: 'get',
      path: '/tasks',
      tag: 'tasks',
      summary:
        'My tasks: document reviews, approvals, training and periodic reviews; work orders, steps, deviations, DHR releases and calibrations; POs to approve and receive, inspections and dispositions, NCs, complaints, CAPA actions and effectiveness checks; blocked ones say why',
      access: 'authenticated',
      response: z.array(taskView(kinds)),
    },
    async ({ user }) => tasksOf(s, user),
  );
  route(
    r,
    {
      method: 'get',
      path: '/tasks/counts',
      tag: 'tasks',
      summary: 'How many tasks wait for me (the menu badge): total, actionable now, blocked, overdue, by kind',
      access: 'authenticated',
      response: countsView,
    },
    async ({ user }) => countTasks(await tasksOf(s, user)),
  );
  return r;
}
