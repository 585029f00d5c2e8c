import type { Lifecycle } from '../../records/lifecycle.ts';
import { refusal } from '../../records/refusal.ts';
import type { ListViewState } from './listView.record.ts';
import { ListViewErrors } from './errors.ts';
import { listViewEvents } from './events.ts';
import type { ListViewValues } from './schema.ts';

const owner = {
  who: (u: { id: string }, v: ListViewState) => u.id === v.owner.id,
  whoRefusal: refusal(ListViewErrors.NOT_YOUR_LIST_VIEW()),
};

// A saved view's lifecycle: created active (listViewService.createListView, judged before the one
// append), changed by its owner, retired by its owner (nothing deleted in place). Unsigned: a
// personal preference, not a quality record.
export const listViewLifecycle: Lifecycle<ListViewState> = {
  record: 'list_view',
  initial: 'active',
  states: ['active', 'retired'],
  final: ['retired'],
  transitions: [
    {
      name: 'update',
      from: ['active'],
      to: 'active',
      ...owner,
      needsValues: true,
      // the values were validated against the view's list by the route (schema.ts) before the command
      event: (_v, _plan, c) => listViewEvents.change('list_view.updated', c.input.values as ListViewValues),
    },
    {
      name: 'retire',
      from: ['active'],
      to: 'retired',
      ...owner,
      event: () => listViewEvents.change('list_view.retired', {}),
    },
  ],
  stateOf: (v) => (v.retired ? 'retired' : 'active'),
  wrongState: () => refusal(ListViewErrors.LIST_VIEW_RETIRED()),
};
