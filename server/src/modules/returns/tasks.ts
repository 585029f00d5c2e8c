import type { TaskSource } from '../../records/contributions.ts';
import { hasPermission } from '../../identity/roles.ts';
import { rmas } from './service.ts';
import { rmaRecord } from './rma.record.ts';
import { openRecords, sortedBy, type DocOf } from '../../records/openRecords.ts';

// What returns put in an inbox: returns received and awaiting inspection (returns.write), and
// returns inspected and awaiting their signed decision (returns.decide, not the inspector).
export const returnTasks: TaskSource = {
  kinds: ['return_inspection', 'return_decision'],
  async tasksFor(s, user) {
    const states: string[] = [];
    if (hasPermission(user, 'returns.write')) states.push('received');
    if (hasPermission(user, 'returns.decide')) states.push('inspected');
    if (!states.length) return [];
    const all = await openRecords<DocOf<typeof rmas>>(s, rmaRecord, 'open', (r) =>
      ['received', 'inspected'].includes(r.state),
    );
    const open = sortedBy(
      all.filter((r) => states.includes(r.state)),
      (r) => r.createdAt,
      1,
      200,
    );
    return open
      .filter((r) => r.state === 'received' || r.inspection?.byId !== user.id)
      .map((r) => ({
        id: r._id,
        kind: r.state === 'received' ? 'return_inspection' : 'return_decision',
        number: r.number,
        title: {
          en: `${r.state === 'received' ? 'Inspect' : 'Decide'} return of ${r.lot.serial ?? r.lot.lotNumber} from ${r.customer}`,
          zh: `${r.state === 'received' ? '检查' : '处置'}客户 ${r.customer} 退回的 ${r.lot.serial ?? r.lot.lotNumber}`,
        },
        revision: '',
        due: null,
        link: { route: 'return', id: r._id },
      }));
  },
};
