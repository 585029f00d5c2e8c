import type { SessionUser } from '../../identity/sessionUser.ts';
import { availableActions } from '../../records/lifecycle.ts';
import type { ListViewDoc } from './listView.record.ts';
import { listViewLifecycle } from './listView.lifecycle.ts';

// The only shape of a saved view that leaves the server. `default`: of the owner's views of one
// list, the one most recently saved as default (setting another needs no write on the others).
export function presentListView(v: ListViewDoc, user: SessionUser, isDefault = v.default && !v.retired) {
  return {
    id: v._id,
    list: v.list,
    name: v.name,
    filters: v.filters,
    columns: v.columns,
    default: isDefault,
    retired: v.retired,
    changedAt: v.changedAt,
    version: v.ledgerVersion,
    actions: availableActions(listViewLifecycle, v, user),
  };
}

/** A list of one owner's views of one list (newest first): only the newest default stays default. */
export function presentListViews(list: ListViewDoc[], user: SessionUser) {
  const def = list.find((v) => v.default)?._id;
  return list.map((v) => presentListView(v, user, v._id === def));
}
