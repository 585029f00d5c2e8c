import { z } from 'zod';
import { defineEvents } from '../../records/events.ts';

// A migration batch (`migration:<id>`): one event when its records are imported, naming the file
// (name, sheet, SHA-256), the kind, the row count and, for each imported record, its stream and
// the sheet row it came from; or one event when a commit failed part-way, naming what was made and
// what was undone. The shapes are the ledger's.
export const MIGRATION_KINDS = [
  'items',
  'locations',
  'customers',
  'suppliers',
  'opening-stock',
  'equipment',
  'calibrations',
  'users',
  'training',
  'documents',
] as const;
const Source = {
  kind: z.enum(MIGRATION_KINDS),
  file: z.string(),
  format: z.enum(['xlsx', 'csv', 'zip']),
  sheet: z.string(),
  sha256: z.string(),
  rows: z.number(),
};
const Made = z.array(z.object({ row: z.number(), stream: z.string(), key: z.string() }));

export const migrationEvents = defineEvents('migration', {
  'migration.imported': z.object({ ...Source, created: Made }),
  'migration.failed': z.object({
    ...Source,
    created: Made,
    compensated: z.array(z.string()),
    error: z.string(),
  }),
});
