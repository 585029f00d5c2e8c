import type { TaskSource } from '../../records/contributions.ts';
import { hasPermission } from '../../identity/roles.ts';
import { tasksFromActions } from '../tasks/fromActions.ts';
import { complaintLifecycle } from './complaint.lifecycle.ts';
import { complaints } from './service.ts';
import { complaintRecord } from './complaint.record.ts';
import { openRecords, sortedBy, type DocOf } from '../../records/openRecords.ts';

// What complaints put in a user's inbox, read off complaint.lifecycle.ts, with the complaint's due
// date: complaints to investigate or to decide not to (QMSR 820.35(a), ISO 13485:2016 8.2.2 c-d),
// and investigated complaints to close.
export const complaintTasks: TaskSource = {
  kinds: ['complaint_investigation', 'complaint_close'],
  async tasksFor(s, user) {
    if (!hasPermission(user, 'complaints.manage') && !hasPermission(user, 'complaints.close')) return [];
    const all = await openRecords<DocOf<typeof complaints>>(s, complaintRecord, 'open', (c) =>
      ['open', 'investigated'].includes(c.status),
    );
    const open = sortedBy(all, (c) => c.due, 1, 500);
    return tasksFromActions(s, user, complaintLifecycle, open, (c, a) => {
      const ref = { number: c.number, title: c.device.name, revision: c.device.partNumber, due: c.due };
      const link = { route: 'complaint', id: c._id };
      if (a.action === 'investigate' || a.action === 'no_investigation')
        return { id: `complaint_investigation.${c._id}`, kind: 'complaint_investigation', ...ref, link };
      if (a.action === 'close') return { id: `complaint_close.${c._id}`, kind: 'complaint_close', ...ref, link };
      return null;
    });
  },
};
