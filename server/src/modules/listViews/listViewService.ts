import { randomUUID } from 'node:crypto';
import type { Services } from '../../platform/services.ts';
import { errors } from '../../platform/errors.ts';
import { streamOf } from '../../records/registry.ts';
import { asUser, runCommand } from '../../records/command.ts';
import { isReadOnly } from '../../identity/roles.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { LIST_VIEWS, type ListViewDoc } from './listView.record.ts';
import { ListViewErrors } from './errors.ts';
import { listViewEvents } from './events.ts';
import {
  MAX_VIEWS_PER_LIST,
  updateValuesFor,
  type CreateListViewInput,
  type ListKey,
  type UpdateListViewInput,
} from './schema.ts';

const views = (s: Services) => s.db.collection<ListViewDoc>(LIST_VIEWS);

function assertMayWrite(user: SessionUser) {
  if (isReadOnly(user)) throw ListViewErrors.LIST_VIEWS_READ_ONLY(); // an auditor keeps no records here
}

/** The caller's own views of `list`, newest first (retired ones are gone from the bar). */
export async function myListViews(s: Services, user: SessionUser, list: ListKey) {
  return views(s)
    .find({ 'owner.id': user.id, list, retired: false })
    .sort({ changedAt: -1 })
    .limit(MAX_VIEWS_PER_LIST)
    .toArray();
}

/** Saves a new view: every rule judged (by the schema and here) before the one append. */
export async function createListView(s: Services, user: SessionUser, input: CreateListViewInput) {
  assertMayWrite(user);
  const count = await views(s).countDocuments({ 'owner.id': user.id, list: input.list, retired: false });
  if (count >= MAX_VIEWS_PER_LIST) throw ListViewErrors.TOO_MANY_LIST_VIEWS({ max: MAX_VIEWS_PER_LIST });
  const id = randomUUID();
  await asUser(user, async () => {
    const c = listViewEvents.change('list_view.created', {
      owner: { id: user.id, name: user.fullName },
      list: input.list,
      name: input.name,
      filters: input.filters,
      columns: input.columns,
      default: input.default,
    });
    await s.ledger.append(streamOf('list_view', id), c.type, c.data, { expectedVersion: 0 });
  });
  return getListView(s, id);
}

export async function getListView(s: Services, id: string): Promise<ListViewDoc> {
  const v = await views(s).findOne({ _id: id });
  if (!v) throw errors.notFound('list_view');
  return v;
}

/** The owner changes the whole view; someone else is refused (403) before the values are judged. */
export async function updateListView(s: Services, user: SessionUser, id: string, input: UpdateListViewInput) {
  assertMayWrite(user);
  const v = await getListView(s, id);
  if (v.owner.id !== user.id) throw ListViewErrors.NOT_YOUR_LIST_VIEW();
  const values = updateValuesFor(v.list as ListKey, input);
  await runCommand(s, user, streamOf('list_view', id), 'update', { version: input.version, values });
  return getListView(s, id);
}

export async function retireListView(s: Services, user: SessionUser, id: string, input: { version?: number }) {
  assertMayWrite(user);
  await getListView(s, id);
  await runCommand(s, user, streamOf('list_view', id), 'retire', input);
  return getListView(s, id);
}
