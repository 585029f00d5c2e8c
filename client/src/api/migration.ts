import { apiUrl, request } from './request';

// Data migration (issue 14 item 3): templates, the dry run's cleansing report, the all-or-none commit.
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
export type MigrationKind = (typeof MIGRATION_KINDS)[number];

export interface MigrationRowError {
  row: number;
  column: string;
  key: string;
  en: string;
  zh: string;
}
export interface MigrationReport {
  kind: MigrationKind;
  file: { name: string; format: 'xlsx' | 'csv' | 'zip'; sheet: string; sha256: string; workbook?: string };
  rows: number;
  validRows: number;
  errors: MigrationRowError[];
  ok: boolean;
}
export interface MigrationBatch {
  batchId: string;
  stream: string;
  rows: number;
  sha256: string;
  created: Array<{ row: number; stream: string; key: string }>;
}

const form = (file: File) => {
  const f = new FormData();
  f.append('file', file, file.name);
  return f;
};

export const migrationApi = {
  templateUrl: (kind: MigrationKind) => apiUrl(`/migration/${kind}/template.xlsx`),
  dryRun: (kind: MigrationKind, file: File) =>
    request<MigrationReport>(`/migration/${kind}/dry-run`, { method: 'POST', body: form(file) }),
  commit: (kind: MigrationKind, file: File) =>
    request<MigrationBatch>(`/migration/${kind}/commit`, {
      method: 'POST',
      body: form(file),
      quietCodes: ['MIGRATION_REJECTED'],
    }),
};
