import type { ZodType } from 'zod';
import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import type { MIGRATION_KINDS } from './events.ts';

// The shape of an importable register (kinds.ts declares each one) and the small helpers the
// kinds share to turn a row's cells into a module's create body.

export type Kind = (typeof MIGRATION_KINDS)[number];
export interface Column {
  key: string;
  en: string;
  zh: string;
  required?: boolean;
  number?: boolean;
  /** A calendar date: an Excel date serial is read as its ISO date. */
  date?: boolean;
  example: string;
}
export interface CellIssue {
  key: string;
  en: string;
  zh: string;
}
export interface KindDef {
  columns: Column[];
  schema: ZodType;
  /** The column whose value must be unique (in the file and in the database). */
  keyColumn: string;
  /** Case-insensitive uniqueness (part numbers are claimed upper-cased). */
  foldCase?: boolean;
  /** Row values (by column key; empty cells left out) → the module's create body. */
  body(v: Record<string, string | number>): Record<string, unknown>;
  /** Already in the database? */
  exists(s: Services, key: string): Promise<boolean>;
  /** Checks beyond the schema (other records, the importer's rights), by column. */
  check?(
    s: Services,
    user: SessionUser,
    v: Record<string, string | number>,
    parsed: unknown,
    ctx: KindContext,
  ): Promise<CellIssue[]>;
  /** Creates the record through the module's own command path; returns its stream. */
  create(
    s: Services,
    user: SessionUser,
    parsed: unknown,
    v: Record<string, string | number>,
    source: RowSource,
    ctx: KindContext & { rows: GoodRow[]; made: Map<string, string> },
  ): Promise<string>;
  /** Undoes a record made by a batch that failed part-way (the ledger keeps both events). */
  undo?(s: Services, user: SessionUser, stream: string, reason: string): Promise<void>;
  /** A key made of several columns (e.g. part number + lot); the key column is where its errors are shown. */
  keyOf?(v: Record<string, string | number>): string | undefined;
  /** Imported from a bundle (a ZIP of the register and its files) only. */
  bundle?: boolean;
  /** Checks across the rows that passed one by one (order, sequence), by row and column. */
  fileCheck?(s: Services, rows: GoodRow[]): Promise<Array<CellIssue & { row: number }>>;
}
/**
 * What a kind sees beside its row: the files of an uploaded bundle (a ZIP of the register and
 * the files it names, bundle.ts), by their path inside the ZIP; at commit, every good row and the
 * streams already made in this batch (by a kind's own key), for records made of several rows.
 */
export interface KindContext {
  files: Map<string, Buffer> | null;
}
/** Where a row came from: the batch, the file (name, sheet, SHA-256) and the sheet row. */
export interface RowSource {
  batch: string;
  file: string;
  sheet: string;
  row: number;
  sha256: string;
}
export interface GoodRow {
  row: number;
  key: string;
  parsed: unknown;
  values: Record<string, string | number>;
}

export const bilingual = (v: Record<string, unknown>, k: string) =>
  v[`${k}.zh`] === undefined && v[`${k}.en`] === undefined ? undefined : { zh: v[`${k}.zh`], en: v[`${k}.en`] };
export const strip = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined));
export const text = (x: unknown) => (x === undefined ? undefined : String(x));
