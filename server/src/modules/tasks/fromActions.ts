import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import type { Task, TaskSource } from '../../records/contributions.ts';
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

/**
 * A task source read off a lifecycle: `kindOf` names the task each action is (an action not named
 * gives none), `load` reads the records that may have work (the lifecycle decides which really do),
 * `task` says how one reads in the inbox.
 */
export function lifecycleTaskSource<S, R extends S>(o: {
  decl: Lifecycle<S>;
  kindOf: Record<string, string>;
  load: (s: Services) => Promise<readonly R[]>;
  task: (record: R, action: AvailableAction, kind: string) => Omit<Task, 'blockedBy' | 'kind'>;
}): TaskSource {
  return {
    kinds: [...new Set(Object.values(o.kindOf))],
    async tasksFor(s, user) {
      return tasksFromActions(s, user, o.decl, await o.load(s), (r, a) => {
        const kind = o.kindOf[a.action];
        return kind ? { ...o.task(r, a, kind), kind } : null;
      });
    },
  };
}
