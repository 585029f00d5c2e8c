import type { z } from 'zod';
import { defineRecordType } from '../../records/registry.ts';
import { hasPermission } from '../../identity/roles.ts';
import { migrationEvents } from './events.ts';

// A migration batch on the ledger: what was imported from which file, by whom and when (21 CFR
// 11.10(e); ISO 13485:2016 4.2.5 records). Each imported record's stream and sheet row is listed.
type Imported = z.output<(typeof migrationEvents.schemas)['migration.imported']>;
export type MigrationState = Omit<Imported, 'created'> & {
  id: string;
  status: 'imported' | 'failed';
  created: Imported['created'];
  compensated: string[];
  error: string | null;
  at: string;
  by: { id: string; name: string };
};

export const MIGRATIONS = 'migrations';

export const migrationRecord = defineRecordType<MigrationState>({
  type: 'migration',
  collection: MIGRATIONS,
  events: migrationEvents,
  reduce(_s, raw) {
    const e = migrationEvents.typed(raw);
    const base = { id: e.stream.slice('migration:'.length), at: e.at, by: { id: e.actor.id, name: e.actor.name } };
    if (e.type === 'migration.imported')
      return { ...e.data, ...base, status: 'imported', compensated: [], error: null };
    return { ...e.data, ...base, status: 'failed' };
  },
  content: ({ at: _a, by: _b, ...rest }) => rest,
  canRead: (user) => hasPermission(user, 'migration.run'),
});
