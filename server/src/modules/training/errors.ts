import { defineErrors } from '../../platform/errorCatalog.ts';

// The training context's domain errors, each declared once.
export const TrainingErrors = defineErrors('training', {
  NOT_YOUR_TRAINING: { status: 403, en: 'This training is assigned to someone else.', zh: '该培训分配给了其他人。' },
  TRAINING_ALREADY_DONE: { status: 409, en: 'This training is already complete.', zh: '该培训已完成。' },
  TRAINING_NOT_CURRENT: {
    status: 409,
    en: 'This revision is no longer effective; train on the current one.',
    zh: '该版本已不再生效,请培训当前版本。',
  },
  DOCUMENT_NOT_OPENED: {
    status: 409,
    en: 'Open the document revision first: "read and understood" can only be signed after it was opened.',
    zh: '请先打开该文件版本:只有打开后才能签署“已阅读并理解”。',
  },
  ALREADY_OPENED: {
    status: 409,
    en: 'The opening of this revision is already recorded.',
    zh: '该版本的打开记录已存在。',
  },
  NO_EFFECTIVE_REVISION: {
    status: 409,
    en: 'This document has no effective revision to train on.',
    zh: '该文件没有可用于培训的生效版本。',
  },
  TRAINEES_NOT_ACTIVE: {
    status: 422,
    en: (p: { ids: string }) => `Unknown or inactive people; nobody was assigned: ${p.ids}.`,
    zh: (p: { ids: string }) => `存在未知或未激活的人员,未分配任何培训:${p.ids}。`,
  },
});
