import type { TaskSource } from '../../records/contributions.ts';
import { openTasksOf } from './service.ts';

// What CAPAs put in a user's inbox: the open actions they own (ISO 13485:2016 8.5.2 d), with their due dates.
export const capaTasks: TaskSource = {
  kinds: ['capa_action'],
  async tasksFor(s, user) {
    return (await openTasksOf(s, user.id)).map(({ capa, task }) => ({
      id: `${capa._id}.${task.id}`,
      kind: 'capa_action',
      number: capa.number,
      title: { zh: task.description, en: task.description },
      revision: task.id,
      due: task.due,
      link: { route: 'capa', id: capa._id },
    }));
  },
};
