import { z } from 'zod';
import { defineEvents } from '../../records/events.ts';

const Person = z.object({ id: z.string(), name: z.string() });
const Name = z.object({ en: z.string().optional(), zh: z.string().optional() });
const View = {
  name: Name,
  filters: z.record(z.string(), z.string()),
  columns: z.array(z.string()),
  default: z.boolean(),
};

// What can happen to a saved list view (stream `list_view:<id>`, one person's). Ledger shapes.
export const listViewEvents = defineEvents('list_view', {
  /** A person saves a view of a list: its filters (the list's own query keys) and columns. */
  'list_view.created': z.object({ owner: Person, list: z.string(), ...View }),
  /** The owner changes it (the whole view as it now is). */
  'list_view.updated': z.object(View),
  /** The owner retires it (nothing is deleted in place: the view leaves their lists). */
  'list_view.retired': z.object({}),
});
