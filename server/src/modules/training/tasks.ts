import type { TaskSource } from '../../records/contributions.ts';
import type { TrainingDoc } from './training.record.ts';
import { trainingRecord } from './training.record.ts';
import { openRecords } from '../../records/openRecords.ts';
import { documentIndex } from '../documents/documentIndex.ts';
import { dueDocumentsEffective } from '../documents/tasks.ts';
import { notOpenedBlocker } from './training.lifecycle.ts';

// What training puts in a user's inbox: their open training on the effective revision of a document.
export const trainingTasks: TaskSource = {
  kinds: ['training'],
  async tasksFor(s, user) {
    await dueDocumentsEffective(s); // a revision made effective now assigns its training first
    // trainingService.openTrainingsFor from the in-process indexes: the user's open trainings on revisions still effective
    const open = (await openRecords<TrainingDoc>(s, trainingRecord, 'open', (t) => t.status === 'open')).filter(
      (t) => t.userId === user.id,
    );
    const documents = await documentIndex(s);
    return open
      .filter((t) => documents.get(t.documentId)?.effective === t.revision)
      .map((t) => {
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
