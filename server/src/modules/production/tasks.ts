import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import type { TaskSource } from '../../records/contributions.ts';
import { hasPermission } from '../../identity/roles.ts';
import { explainedActions, type Blocker } from '../../records/lifecycle.ts';
import { workOrderLifecycle } from './workorder.lifecycle.ts';
import { openWorkOrderDocs } from './openWorkOrders.ts';

// What production puts in a user's inbox (GET /tasks, registered in modules/contributions.ts):
// orders to release, steps to perform or verify, deviations to close, DHRs ready for QA release.
const KINDS = ['wo_release', 'wo_step', 'wo_verify', 'deviation', 'dhr_release'] as const;
export type ProductionTaskKind = (typeof KINDS)[number];
export interface ProductionTask {
  id: string;
  kind: ProductionTaskKind;
  number: string;
  title: { zh: string; en: string };
  revision: string;
  due: string | null;
  link: { route: 'workorder' | 'shop-floor-workorder'; id: string };
  /** A step the lifecycle offers but a check would refuse (the operator is not trained): why, and where to fix it. */
  blockedBy?: Blocker;
}

/**
 * The orders that can still ask anyone for anything: not closed or cancelled. A finished order
 * holds every step, material and signature it ever had, so reading all of them on every inbox view
 * cost most of its time (measured: the workorder reads were ~100 of ~250 ms).
 */
const openWorkOrders = async (s: Services) =>
  [...(await openWorkOrderDocs(s))].sort((a, b) => b.number.localeCompare(a.number)).slice(0, 5000);

export async function productionTasksFor(s: Services, user: SessionUser): Promise<ProductionTask[]> {
  const can = (p: Parameters<typeof hasPermission>[1]) => hasPermission(user, p);
  const tasks: ProductionTask[] = [];
  // what each user may do next on each order is what the lifecycle offers them (one rule: workorder.lifecycle.ts)
  if (
    can('production.release') ||
    can('production.execute') ||
    can('production.qa_release') ||
    can('deviation.close')
  ) {
    for (const w of await openWorkOrders(s)) {
      const ref = { number: w.number, title: w.item.name, due: w.plannedEnd };
      for (const a of await explainedActions(workOrderLifecycle, s, w, user)) {
        const blocked = a.blockedBy ? { blockedBy: a.blockedBy } : {};
        const seq = a.target?.seq;
        if (a.action === 'release')
          tasks.push({
            id: `wo_release.${w._id}`,
            kind: 'wo_release',
            ...ref,
            revision: w.dmr.revision,
            due: w.plannedStart,
            link: { route: 'workorder', id: w._id },
          });
        if (a.action === 'perform')
          tasks.push({
            id: `wo_step.${w._id}.${seq}`,
            kind: 'wo_step',
            ...ref,
            revision: String(seq),
            link: { route: 'shop-floor-workorder', id: w._id },
            ...blocked,
          });
        if (a.action === 'verify')
          tasks.push({
            id: `wo_verify.${w._id}.${seq}`,
            kind: 'wo_verify',
            ...ref,
            revision: String(seq),
            link: { route: 'shop-floor-workorder', id: w._id },
            ...blocked,
          });
        const d = a.action === 'close_deviation' ? w.deviations.find((x) => x.id === a.target?.deviationId) : undefined;
        if (d)
          tasks.push({
            id: `deviation.${d.id}`,
            kind: 'deviation',
            number: d.number,
            title: w.item.name,
            revision: `${w.number} · ${d.seq}`,
            due: null,
            link: { route: 'workorder', id: w._id },
          });
        if (a.action === 'qa_release')
          tasks.push({
            id: `dhr_release.${w._id}`,
            kind: 'dhr_release',
            ...ref,
            revision: w.lotNumber,
            link: { route: 'workorder', id: w._id },
          });
      }
    }
  }
  return tasks;
}

export const productionTasks: TaskSource = { kinds: KINDS, tasksFor: productionTasksFor };
