import { request } from './request';
import type { LifecycleAction } from './types';

// Saved list views (issue 15 item 4): one person's filters and columns for one list.
export type ListKey = 'documents' | 'purchaseOrders' | 'lots' | 'training' | 'capas' | 'ncs';

export interface ListViewValues {
  name: { en?: string; zh?: string };
  filters: Record<string, string>;
  columns: string[];
  default: boolean;
}
export interface ListView extends ListViewValues {
  id: string;
  list: ListKey;
  retired: boolean;
  changedAt: string;
  version: number;
  actions: LifecycleAction[];
}

export const listViewsApi = {
  list: (list: ListKey) => request<ListView[]>(`/list-views?list=${encodeURIComponent(list)}`),
  create: (body: ListViewValues & { list: ListKey }) => request<ListView>('/list-views', { method: 'POST', body }),
  update: (id: string, body: ListViewValues & { version: number }) =>
    request<ListView>(`/list-views/${id}/actions/update`, { method: 'POST', body }),
  retire: (id: string, version: number) =>
    request<ListView>(`/list-views/${id}/actions/retire`, { method: 'POST', body: { version } }),
};

/** Bulk actions: assign a document's effective revision to many people; mark notifications read. */
export const bulkApi = {
  assignTraining: (documentId: string, userIds: string[]) =>
    request<{ revision: string; assigned: string[]; skipped: Array<{ userId: string; status: string }> }>(
      `/documents/${documentId}/training`,
      { method: 'POST', body: { userIds } },
    ),
  markRead: (ids: string[]) =>
    request<{ read: number }>('/notifications/actions/mark-read-bulk', { method: 'POST', body: { ids } }),
};
