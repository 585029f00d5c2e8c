import type { TaskSource } from '../../records/contributions.ts';
import { hasPermission } from '../../identity/roles.ts';
import { tasksFromActions } from '../tasks/fromActions.ts';
import { ncLifecycle } from './nc.lifecycle.ts';
import { nonconformances } from './service.ts';
import { ncRecord } from './nc.record.ts';
import { openRecords, sortedBy, type DocOf } from '../../records/openRecords.ts';

const DISPOSE = ['use_as_is', 'dispose', 'verify_rework'];

// What nonconformances put in a user's inbox, read off nc.lifecycle.ts: lots still to be
// dispositioned (or a rework to verify) and NCs ready to close (ISO 13485:2016 8.3.1-8.3.4).
export const ncTasks: TaskSource = {
  kinds: ['nc_disposition', 'nc_close'],
  async tasksFor(s, user) {
    if (!(['nc.disposition', 'nc.concession', 'nc.close'] as const).some((p) => hasPermission(user, p))) return [];
    const all = await openRecords<DocOf<typeof nonconformances>>(s, ncRecord, 'open', (n) => n.status === 'open');
    const open = sortedBy(all, (n) => n.openedAt, 1, 500);
    return tasksFromActions(s, user, ncLifecycle, open, (n, a) => {
      const ref = { number: n.number, title: n.item.name, revision: n.item.partNumber, due: null };
      const link = { route: 'nc', id: n._id };
      if (DISPOSE.includes(a.action)) return { id: `nc_disposition.${n._id}`, kind: 'nc_disposition', ...ref, link };
      if (a.action === 'close') return { id: `nc_close.${n._id}`, kind: 'nc_close', ...ref, link };
      return null;
    });
  },
};
