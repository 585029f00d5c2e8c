import { ref } from 'vue';
import { inboxApi, type TaskCounts } from '@/api/tasks';

// The menu badge's counts (GET /tasks/counts), shared by the side menu and the inbox page: the
// inbox refreshes them when it reloads, the menu on navigation.
export const taskCounts = ref<TaskCounts | null>(null);
let inFlight: Promise<void> | null = null;

export function refreshTaskCounts(): Promise<void> {
  inFlight ??= inboxApi
    .counts()
    .then((c) => {
      taskCounts.value = c;
    })
    .catch(() => {
      taskCounts.value = null; // signed out, or the portal: no badge
    })
    .finally(() => {
      inFlight = null;
    });
  return inFlight;
}
