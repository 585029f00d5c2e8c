import type { LedgerEvent } from '../../ledger/event.ts';
import { defineRecordType } from '../../records/registry.ts';
import { declareIndexes } from '../../platform/db/mongo.ts';
import type { Projected } from '../../records/projector.ts';
import { listViewEvents } from './events.ts';
import { listViewLifecycle } from './listView.lifecycle.ts';

// A saved list view (issue 15 item 4): one person's filters and columns for one list. Personal
// working preferences, not quality records; kept on the ledger like every record people change.
export interface ListViewState {
  id: string;
  owner: { id: string; name: string };
  list: string;
  name: { en?: string; zh?: string };
  filters: Record<string, string>;
  columns: string[];
  default: boolean;
  retired: boolean;
  createdAt: string;
  changedAt: string;
}
export type ListViewDoc = Projected<ListViewState>;

export const LIST_VIEWS = 'list_views';
declareIndexes(LIST_VIEWS, [{ key: { 'owner.id': 1, list: 1 }, name: 'owner_list' }]);

function reduce(s: ListViewState | undefined, event: LedgerEvent): ListViewState {
  const e = listViewEvents.typed(event);
  if (e.type === 'list_view.created')
    return {
      id: e.stream.slice('list_view:'.length),
      ...e.data,
      retired: false,
      createdAt: e.at,
      changedAt: e.at,
    };
  if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before list_view.created`);
  switch (e.type) {
    case 'list_view.updated':
      return { ...s, ...e.data, changedAt: e.at };
    case 'list_view.retired':
      return { ...s, retired: true, default: false, changedAt: e.at };
    default:
      return s;
  }
}

export const listViewRecord = defineRecordType<ListViewState>({
  type: 'list_view',
  collection: LIST_VIEWS,
  reduce,
  content: (s) => ({ owner: s.owner.id, list: s.list, name: s.name, filters: s.filters, columns: s.columns }),
  events: listViewEvents,
  lifecycle: listViewLifecycle,
  canRead: (user, s) => user.id === s.owner.id,
});
