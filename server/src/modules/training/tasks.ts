import type { TaskSource } from '../../records/contributions.ts';
import { openTrainingsFor } from './trainingService.ts';
import { notOpenedBlocker } from './training.lifecycle.ts';

// What training puts in a user's inbox: their open training on the effective revision of a document.
export const trainingTasks: TaskSource = {
  kinds: ['training'],
  async tasksFor(s, user) {
    return (await openTrainingsFor(s, user.id)).map((t) => {
      const blockedBy = notOpenedBlocker({ ...t, openedAt: t.openedAt ?? null }); // open the file first
      return {
        id: t._id,
        kind: 'training',
        documentId: t.documentId,
        number: t.number,
        title: t.title,
        revision: t.revision,
        due: t.due,
        link: { route: 'document', id: t.documentId },
        ...(blockedBy ? { blockedBy } : {}),
      };
    });
  },
};
