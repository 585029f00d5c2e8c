import type { TaskSource } from '../../records/contributions.ts';
import { hasPermission } from '../../identity/roles.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import { tasksFromActions } from '../tasks/fromActions.ts';
import { capaLifecycle } from './capa.lifecycle.ts';
import type { capas } from './service.ts';
import { capaRecord } from './capa.record.ts';
import { openRecords, type DocOf } from '../../records/openRecords.ts';

type Capa = DocOf<typeof capas>;

/** How far ahead a planned effectiveness check appears in the inbox of those who judge it. */
export const EFFECTIVENESS_NOTICE_DAYS = 30;

// What CAPAs put in a user's inbox: the open actions they own (ISO 13485:2016 8.5.2 d), with their
// due dates; and, for QA, effectiveness checks due within EFFECTIVENESS_NOTICE_DAYS or overdue
// (8.5.2 f: the effectiveness of the action taken is verified), read off capa.lifecycle.ts.
export const capaTasks: TaskSource = {
  kinds: ['capa_action', 'capa_effectiveness'],
  async tasksFor(s, user) {
    // the same records as service.openTasksOf, from the in-process index
    const inProgress = await openRecords<Capa>(s, capaRecord, 'in_progress', (c) => c.state === 'in_progress');
    const ownTasks = inProgress
      .filter((c) => c.openTaskOwners.includes(user.id))
      .flatMap((c) =>
        c.tasks.filter((t) => t.status === 'open' && t.owner.id === user.id).map((t) => ({ capa: c, task: t })),
      );
    const own = ownTasks.map(({ capa, task }) => ({
      id: `${capa._id}.${task.id}`,
      kind: 'capa_action',
      number: capa.number,
      title: { zh: task.description, en: task.description },
      revision: task.id,
      due: task.due,
      link: { route: 'capa', id: capa._id },
    }));
    if (!hasPermission(user, 'capa.approve')) return own;
    const notice = addDays(todayUtc(), EFFECTIVENESS_NOTICE_DAYS);
    const checking = await openRecords<Capa>(
      s,
      capaRecord,
      'effectiveness_check',
      (c) => c.state === 'effectiveness_check',
    );
    const checks = checking.slice(0, 500).filter((c) => !c.effectiveness || c.effectiveness.due <= notice);
    const due = await tasksFromActions(s, user, capaLifecycle, checks, (c, a) =>
      a.action === 'record_effectiveness'
        ? {
            id: `capa_effectiveness.${c._id}.${c.round}`,
            kind: 'capa_effectiveness',
            number: c.number,
            title: { zh: c.title, en: c.title },
            revision: String(c.round),
            due: c.effectiveness?.due ?? null,
            link: { route: 'capa', id: c._id },
          }
        : null,
    );
    return [...own, ...due];
  },
};
