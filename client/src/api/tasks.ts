import { request } from './request';
import type { BilingualText } from './types';

/** Why the user would be refused now, in both languages, and the page that fixes it (the server's `blockedBy`). */
export interface TaskBlocker {
  code: string;
  en: string;
  zh: string;
  link?: { route: string; id: string };
}

/** One row of the inbox (GET /tasks): every registered task source's kinds, a blocked task saying why. */
export interface InboxTask {
  id: string;
  kind: string;
  number: string;
  title: BilingualText;
  revision: string;
  due: string | null;
  documentId?: string;
  link: { route: string; id: string };
  blockedBy?: TaskBlocker;
  /** The task of someone who delegated it to the user: signed on their behalf (issue 15 item 6). */
  onBehalfOf?: { id: string; name: string; delegationId: string };
}

export interface TaskCounts {
  total: number;
  actionable: number;
  blocked: number;
  overdue: number;
  byKind: Record<string, number>;
}

export const inboxApi = {
  list: () => request<InboxTask[]>('/tasks'),
  counts: () => request<TaskCounts>('/tasks/counts', { silent: true, noAuthRedirect: true }),
};
