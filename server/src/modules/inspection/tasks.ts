import type { TaskSource } from '../../records/contributions.ts';
import { hasPermission } from '../../identity/roles.ts';
import { tasksFromActions } from '../tasks/fromActions.ts';
import { inspectionLifecycle } from './inspection.lifecycle.ts';
import { inspections } from './service.ts';
import { inspectionRecord } from './inspection.record.ts';
import { openRecords, sortedBy, type DocOf } from '../../records/openRecords.ts';

const DISPOSITIONS = ['release', 'reject', 'conditional'];

// What incoming inspection puts in a user's inbox, read off inspection.lifecycle.ts: open
// inspections whose results are to be recorded, and completed ones whose lots wait for QA's
// disposition (ISO 13485:2016 7.4.3 and 8.2.6: product is not released before the verification
// is complete; 21 CFR 820.80(b) acceptance recorded and signed).
export const inspectionTasks: TaskSource = {
  kinds: ['inspection', 'inspection_disposition'],
  async tasksFor(s, user) {
    if (!hasPermission(user, 'inspection.perform') && !hasPermission(user, 'inspection.disposition')) return [];
    const all = await openRecords<DocOf<typeof inspections>>(s, inspectionRecord, 'open', (i) =>
      ['open', 'completed'].includes(i.status),
    );
    const open = sortedBy(all, (i) => i.createdAt, 1, 500);
    return tasksFromActions(s, user, inspectionLifecycle, open, (i, a) => {
      const ref = { number: i.number, title: i.item.name, revision: i.lotNumber, due: null };
      const link = { route: 'inspection', id: i._id };
      if (a.action === 'record_results') return { id: `inspection.${i._id}`, kind: 'inspection', ...ref, link };
      // a lot may be rejected before its results are in, but the decision waits for them
      if (i.status === 'completed' && DISPOSITIONS.includes(a.action))
        return { id: `inspection_disposition.${i._id}`, kind: 'inspection_disposition', ...ref, link };
      return null;
    });
  },
};
