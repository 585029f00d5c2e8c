import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import type { Task } from '../../records/contributions.ts';
import { explainedActions, type AvailableAction, type Lifecycle } from '../../records/lifecycle.ts';

/**
 * Tasks read off the lifecycle: for each record, what the user may do now (the same
 * `availableActions` the record's page draws, with `blockedBy` when a check would still refuse),
 * and `taskOf` names the task an action is (null: no task). One task per kind and record: a
 * record whose three dispositions are all open is one disposition to sign.
 */
export async function tasksFromActions<S, R extends S>(
  s: Services,
  user: SessionUser,
  decl: Lifecycle<S>,
  records: readonly R[],
  taskOf: (record: R, action: AvailableAction) => Omit<Task, 'blockedBy'> | null,
): Promise<Task[]> {
  const tasks = new Map<string, Task>();
  for (const r of records) {
    for (const a of await explainedActions(decl, s, r, user)) {
      const task = taskOf(r, a);
      if (!task) continue;
      const known = tasks.get(task.id);
      // an action the user can take now wins over one that is blocked
      if (!known || (known.blockedBy && !a.blockedBy))
        tasks.set(task.id, a.blockedBy ? { ...task, blockedBy: a.blockedBy } : task);
    }
  }
  return [...tasks.values()];
}
