import { lifecycleTaskSource } from '../tasks/fromActions.ts';
import { recallLifecycle } from './recall.lifecycle.ts';
import { recallClocks } from './rules.ts';
import { recalls } from './service.ts';
import { recallRecord } from './recall.record.ts';
import { openRecords, type DocOf } from '../../records/openRecords.ts';

// What recalls put in an inbox, read off recall.lifecycle.ts so a task exists exactly when the
// recall's page offers the action: the approval of a draft, each customer still to notify, each
// regulatory clock still to report (due on its date: 21 CFR 806.10(b), EU MDR Art. 87, NMPA
// 医疗器械召回管理办法), and the closure. Acknowledgements and unit dispositions come from the
// customers on their own time: the page lists them, the inbox does not.
export const recallTasks = lifecycleTaskSource({
  decl: recallLifecycle,
  kindOf: { approve: 'recall_approval', notify: 'recall_notification', report: 'recall_report', close: 'recall_close' },
  load: async (s) => {
    const open = (
      await openRecords<DocOf<typeof recalls>>(s, recallRecord, 'open', (r) => ['draft', 'open'].includes(r.state))
    ).slice(0, 200);
    return Promise.all(open.map(async (r) => ({ ...r, clocks: await recallClocks(s, r) })));
  },
  task: (r, a, kind) => {
    // one task per clock to report (its own due date); one for all customers still to notify
    const clock = a.action === 'report' ? r.clocks.find((c) => c.code === a.target?.clock) : undefined;
    return {
      id: `${kind}.${r._id}${clock ? `.${clock.code}` : ''}`,
      number: r.number,
      title: clock
        ? { en: `${r.title} — ${clock.label.en}`, zh: `${r.title} — ${clock.label.zh}` }
        : { en: r.title, zh: r.title },
      revision: '',
      due: clock?.dueDate ?? null,
      link: { route: 'recall', id: r._id },
    };
  },
});
