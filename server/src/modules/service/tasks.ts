import type { TaskSource } from '../../records/contributions.ts';
import { hasPermission } from '../../identity/roles.ts';
import { serviceRecords } from './service.ts';

// What service puts in an inbox: service records awaiting their complaint screening (21 CFR 820.198).
export const serviceTasks: TaskSource = {
  kinds: ['service_screening'],
  async tasksFor(s, user) {
    if (!hasPermission(user, 'service.screen')) return [];
    const open = await serviceRecords(s).find({ state: 'open' }).sort({ createdAt: 1 }).limit(200).toArray();
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
