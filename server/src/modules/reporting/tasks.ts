import type { TaskSource } from '../../records/contributions.ts';
import { hasPermission } from '../../identity/roles.ts';
import type { decisions } from './service.ts';
import { reportabilityRecord } from './reportability.record.ts';
import { openRecords, sortedBy, type DocOf } from '../../records/openRecords.ts';
import { clockOf } from './presenter.ts';
import { now as clockNow } from '../../platform/clock.ts';

// What reporting puts in the inbox of those who submit reports: every reportable event whose
// report is not yet submitted, due or overdue, most urgent first (the clock: reportability.lifecycle.ts).
export const reportingTasks: TaskSource = {
  kinds: ['report'],
  async tasksFor(s, user) {
    if (!hasPermission(user, 'reporting.submit')) return [];
    const now = clockNow();
    // the reportable decisions, as listDecisions({ status: 'reportable' }) orders them
    const reportable = await openRecords<DocOf<typeof decisions>>(
      s,
      reportabilityRecord,
      'reportable',
      (d) => d.status === 'reportable',
    );
    return sortedBy(reportable, (d) => d.openedAt, -1, 1000)
      .map((d) => ({ d, clock: clockOf(d, now) }))
      .filter((x) => x.clock)
      .sort((a, b) => a.clock!.dueAt.localeCompare(b.clock!.dueAt))
      .map(({ d, clock }) => ({
        id: `report.${d._id}`,
        kind: 'report',
        number: `${d.jurisdiction} · ${d.complaintId}`,
        title: {
          en: `${d.decision!.rule?.label.en ?? 'Report'} (${d.decision!.rule?.citation ?? ''})`,
          zh: `${d.decision!.rule?.label.zh ?? '报告'}(${d.decision!.rule?.citation ?? ''})`,
        },
        revision: clock!.running && clock!.overdue ? 'overdue' : 'due',
        due: clock!.dueDate,
        link: { route: 'reportability', id: d._id },
      }));
  },
};
