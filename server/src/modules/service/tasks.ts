import type { TaskSource } from '../../records/contributions.ts';
import { hasPermission } from '../../identity/roles.ts';
import { serviceRecords } from './service.ts';
import { serviceRecordType } from './servicerecord.record.ts';
import { openRecords, sortedBy, type DocOf } from '../../records/openRecords.ts';

// What service puts in an inbox: service records awaiting their complaint screening (21 CFR 820.198).
export const serviceTasks: TaskSource = {
  kinds: ['service_screening'],
  async tasksFor(s, user) {
    if (!hasPermission(user, 'service.screen')) return [];
    const all = await openRecords<DocOf<typeof serviceRecords>>(
      s,
      serviceRecordType,
      'open',
      (r) => r.state === 'open',
    );
    const open = sortedBy(all, (r) => r.createdAt, 1, 200);
    return open.map((r) => ({
      id: r._id,
      kind: 'service_screening',
      number: r.number,
      title: {
        en: `Screen service ${r.number} (${r.serial}) as a possible complaint`,
        zh: `筛查服务记录 ${r.number}(${r.serial})是否为可能的投诉`,
      },
      revision: '',
      due: null,
      link: { route: 'service-record', id: r._id },
    }));
  },
};
