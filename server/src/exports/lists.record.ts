import type { z } from 'zod';
import { defineRecordType } from '../records/registry.ts';
import { hasPermission } from '../identity/roles.ts';
import { listExportEvents } from './events.ts';

// Every Excel export of a list leaves one event on stream `list-export:<id>` (lists.ts): the list,
// its filter, the row count and the file's SHA-256, by whom and when (21 CFR 11.10(e): who did what).
export type ListExportState = z.output<(typeof listExportEvents.schemas)['export.list_generated']> & {
  generatedAt: string;
  generatedBy: { id: string; name: string };
};

export const listExportRecord = defineRecordType<ListExportState>({
  type: 'list-export',
  collection: 'list_exports',
  events: listExportEvents,
  reduce(_s, raw) {
    const e = listExportEvents.typed(raw);
    return { ...e.data, generatedAt: e.at, generatedBy: { id: e.actor.id, name: e.actor.name } };
  },
  content: (s) => ({ list: s.list, filter: s.filter, rows: s.rows, sha256: s.sha256 }),
  canRead: (user) => hasPermission(user, 'records.read'),
});
