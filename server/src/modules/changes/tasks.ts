import { lifecycleTaskSource } from '../tasks/fromActions.ts';
import { changeLifecycle } from './change.lifecycle.ts';
import { changes, changeView } from './service.ts';
import { changeRecord } from './change.record.ts';
import { openRecords, type DocOf } from '../../records/openRecords.ts';

// What change requests put in a user's inbox (ISO 13485:2016 7.3.9, 4.1.4), read off
// change.lifecycle.ts so a task exists exactly when the change's page offers the action: the
// requester's draft to submit, the board's approval, each work order on the old DMR revision still
// without its decision, the implementation once every decision is recorded, and the scheduled
// effectiveness check to judge.
export const changeTasks = lifecycleTaskSource({
  decl: changeLifecycle,
  kindOf: {
    submit: 'change_submission',
    approve: 'change_approval',
    decide_work_order: 'change_work_order_decision',
    implement: 'change_implementation',
    confirm_effective: 'change_effectiveness_check',
  },
  load: async (s) => {
    const open = (
      await openRecords<DocOf<typeof changes>>(s, changeRecord, 'open', (c) =>
        ['draft', 'approval', 'approved', 'implemented'].includes(c.state),
      )
    ).slice(0, 500);
    return Promise.all(open.map(async (c) => (await changeView(s, c)).view));
  },
  task: (c, a, kind) => ({
    id: `${kind}.${c.id}.${c.iteration}`,
    number: c.number,
    title: c.title,
    revision: String(c.iteration),
    due: a.action === 'confirm_effective' ? (c.effectiveness?.dueDate ?? null) : null,
    link: { route: 'change', id: c.id },
  }),
});
