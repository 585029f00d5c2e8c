import { createHash, randomUUID } from 'node:crypto';
import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { asUser } from '../../records/command.ts';
import { errors } from '../../platform/errors.ts';
import { MigrationErrors } from './errors.ts';
import { chinese, chineseOf, describeIssue, type Texts } from '../../platform/issueText.ts';
import { writeXlsx } from '../../exports/xlsx/writer.ts';
import { parseCsv } from './csv.ts';
import { readXlsxSheet, type SheetRow } from './xlsxReader.ts';
import type { SheetUpload } from './upload.ts';
import { openBundle } from './bundle.ts';
import { KINDS, type Column, type Kind } from './kinds.ts';
import { migrationEvents } from './events.ts';

// Import of a register from a spreadsheet: a dry run that checks every row and reports by row
// and column (the cleansing report), and a commit that imports every row or none.

export interface RowError {
  row: number;
  column: string; // the header as in the file (or the template's English header)
  key: string;
  en: string;
  zh: string;
}
export interface Report {
  kind: Kind;
  file: { name: string; format: 'xlsx' | 'csv' | 'zip'; sheet: string; sha256: string; workbook?: string };
  rows: number;
  validRows: number;
  errors: RowError[];
  ok: boolean;
}
interface Checked {
  report: Report;
  good: Array<{ row: number; key: string; parsed: unknown; values: Record<string, string | number> }>;
  files: Map<string, Buffer> | null;
}

const MAX_REPORTED = 1000;

/** The template: the header in both languages ("English / 中文"), one example row. */
export function template(kind: Kind): Promise<Buffer> {
  const cols = KINDS[kind].columns;
  return writeXlsx({
    name: kind,
    header: cols.map((c) => `${c.en} / ${c.zh}${c.required ? ' *' : ''}`),
    rows: [cols.map((c) => c.example)],
  });
}

const norm = (h: string) =>
  h
    .replace(/\s*\*\s*$/, '')
    .trim()
    .toLowerCase();
function headerMap(cols: Column[]) {
  const m = new Map<string, Column>();
  for (const c of cols) {
    for (const h of [c.key, c.en, c.zh, `${c.en} / ${c.zh}`]) m.set(norm(h), c);
  }
  return m;
}

async function readRows(
  up: SheetUpload,
): Promise<{ sheet: string; rows: SheetRow[]; files: Map<string, Buffer> | null; workbook?: string }> {
  if (up.format === 'csv')
    return { sheet: '', rows: parseCsv(up.bytes).map((cells, i) => ({ row: i + 1, cells })), files: null };
  // a ZIP without [Content_Types].xml at its root is a bundle: the register plus its files (bundle.ts)
  const bundle = openBundle(up.bytes);
  if (!bundle) return { ...(await readXlsxSheet(up.bytes)), files: null };
  return { ...(await readXlsxSheet(bundle.workbook.bytes)), files: bundle.files, workbook: bundle.workbook.name };
}

/** An Excel date serial (days since 1899-12-30, the 1900 date system) as an ISO date; other text as it is. */
function excelDate(v: string): string {
  if (!/^\d{1,6}(\.\d+)?$/.test(v)) return v;
  const d = new Date(Date.UTC(1899, 11, 30) + Math.floor(Number(v)) * 86_400_000);
  return Number.isNaN(d.getTime()) ? v : d.toISOString().slice(0, 10);
}
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export async function check(s: Services, user: SessionUser, kind: Kind, up: SheetUpload): Promise<Checked> {
  const def = KINDS[kind];
  const { sheet, rows, files, workbook } = await readRows(up);
  const file = {
    name: up.name,
    format: files ? ('zip' as const) : up.format,
    sheet,
    sha256: createHash('sha256').update(up.bytes).digest('hex'),
    ...(workbook ? { workbook } : {}),
  };
  if (def.bundle && !files)
    throw errors.badRequest(
      'Upload a ZIP holding the .xlsx register and the files it names.',
      '请上传 ZIP 资料包:内含 .xlsx 台账及其列出的文件。',
    );
  const errs: RowError[] = [];
  const good: Checked['good'] = [];
  const add = (e: RowError) => {
    if (errs.length < MAX_REPORTED) errs.push(e);
  };
  if (!rows.length) throw errors.badRequest('The sheet is empty: no header row.', '工作表为空:没有表头行。');
  const [head, ...body] = rows;
  const byHeader = headerMap(def.columns);
  const colAt: Array<Column | null> = [];
  const seen = new Set<string>();
  head.cells.forEach((h, i) => {
    if (!h.trim()) return void (colAt[i] = null);
    const c = byHeader.get(norm(h)) ?? null;
    colAt[i] = c;
    if (!c) add({ row: head.row, column: h, key: '', en: 'unknown column', zh: '未知的列' });
    else if (seen.has(c.key)) add({ row: head.row, column: h, key: c.key, en: 'column given twice', zh: '列重复' });
    else seen.add(c.key);
  });
  for (const c of def.columns)
    if (c.required && !seen.has(c.key))
      add({ row: head.row, column: c.en, key: c.key, en: 'required column missing', zh: '缺少必填列' });
  const headerOf = (key: string) => {
    const i = colAt.findIndex((c) => c?.key === key);
    const c = def.columns.find((x) => x.key === key);
    return i >= 0 ? head.cells[i] : c ? `${c.en} / ${c.zh}` : key;
  };
  if (errs.length)
    return { report: { kind, file, rows: body.length, validRows: 0, errors: errs, ok: false }, good, files };
  if (!body.length) throw errors.badRequest('The sheet has a header but no rows.', '工作表只有表头,没有数据行。');

  const keys = new Map<string, number>(); // key → first row
  for (const r of body) {
    const values: Record<string, string | number> = {};
    r.cells.forEach((cell, i) => {
      const c = colAt[i];
      const v = cell.trim();
      if (!c || v === '') return;
      values[c.key] = c.number && NUMBER.test(v) ? Number(v) : c.date && up.format === 'xlsx' ? excelDate(v) : v;
    });
    const rowErrs: RowError[] = [];
    for (const c of def.columns)
      if (c.required && values[c.key] === undefined)
        rowErrs.push({ row: r.row, column: headerOf(c.key), key: c.key, en: 'required', zh: '必填' });
    const described = new Map<string, Texts>();
    const parsed = def.schema.safeParse(def.body(values), {
      error: (iss) => {
        const t = describeIssue(iss);
        described.set(t.en, t);
        return t.en;
      },
    });
    if (!parsed.success)
      for (const i of parsed.error.issues) {
        const key = i.path.slice(0, 2).map(String).join('.');
        const col =
          def.columns.find((c) => c.key === key) ?? def.columns.find((c) => c.key === String(i.path[0] ?? ''));
        if (col && rowErrs.some((e) => e.key === col.key)) continue; // "required" said it already
        const t = described.get(i.message) ?? { en: i.message, zh: chineseOf(i.message) ?? chinese(i) };
        rowErrs.push({ row: r.row, column: col ? headerOf(col.key) : key, key: col?.key ?? key, en: t.en, zh: t.zh });
      }
    const raw = def.keyOf ? def.keyOf(values) : values[def.keyColumn];
    if (raw !== undefined) {
      const key = def.foldCase ? String(raw).toUpperCase() : String(raw);
      const first = keys.get(key);
      const column = headerOf(def.keyColumn);
      if (first !== undefined)
        rowErrs.push({
          row: r.row,
          column,
          key: def.keyColumn,
          en: `duplicate of row ${first} in this file`,
          zh: `与本文件第 ${first} 行重复`,
        });
      else keys.set(key, r.row);
      const shown = def.keyOf ? values[def.keyColumn] : raw;
      if (parsed.success && (await def.exists(s, def.keyOf ? key : String(raw))))
        rowErrs.push({ row: r.row, column, key: def.keyColumn, en: `${shown} already exists`, zh: `${shown} 已存在` });
    }
    if (parsed.success && def.check)
      for (const e of await def.check(s, user, values, parsed.data, { files }))
        rowErrs.push({ row: r.row, column: headerOf(e.key), ...e });
    // one problem per cell: the first (a malformed date is not also "not a calendar date")
    if (rowErrs.length) rowErrs.filter((e, i) => rowErrs.findIndex((x) => x.key === e.key) === i).forEach(add);
    else good.push({ row: r.row, key: String(values[def.keyColumn] ?? raw), parsed: parsed.data, values });
  }
  if (def.fileCheck) for (const e of await def.fileCheck(s, good)) add({ ...e, column: headerOf(e.key) });
  // a GTIN twice in the file (items): the second row is refused
  if (kind === 'items') {
    const gt = new Map<string, number>();
    for (const g of good) {
      const gtin = (g.parsed as { gtin: string | null }).gtin;
      if (!gtin) continue;
      const first = gt.get(gtin);
      if (first !== undefined)
        add({
          row: g.row,
          column: headerOf('gtin'),
          key: 'gtin',
          en: `GTIN also on row ${first}`,
          zh: `GTIN 与第 ${first} 行重复`,
        });
      else gt.set(gtin, g.row);
    }
  }
  const badRows = new Set(errs.map((e) => e.row)).size;
  return {
    report: { kind, file, rows: body.length, validRows: body.length - badRows, errors: errs, ok: errs.length === 0 },
    good,
    files,
  };
}

/**
 * Imports every row or none. The whole file is checked first, against the database too (codes,
 * part numbers, GTINs, ASL items): a file with any error writes nothing (422 with the report).
 * Then each record is made through its module's own create command, as the importer. A failure
 * after that point is an infrastructure error or a race (someone created the same code since the
 * check): the records this batch made are deactivated with the batch's id as the reason (the
 * ledger is append-only: nothing is erased) and the failed batch is recorded with what it made
 * and undid. Suppliers have no deactivation; a supplier made before the failure stays pending and
 * is named in the failed batch.
 */
export async function commit(s: Services, user: SessionUser, kind: Kind, up: SheetUpload) {
  const { report, good, files } = await check(s, user, kind, up);
  if (!report.ok) throw MigrationErrors.MIGRATION_REJECTED({ count: report.errors.length }, report);
  const id = randomUUID();
  const stream = `migration:${id}`;
  const source = {
    kind,
    file: up.name,
    format: report.file.format,
    sheet: report.file.sheet,
    sha256: report.file.sha256,
    rows: report.rows,
  };
  const created: Array<{ row: number; stream: string; key: string }> = [];
  const def = KINDS[kind];
  const ctx = { files, rows: good, made: new Map<string, string>() };
  try {
    for (const g of good)
      created.push({
        row: g.row,
        key: g.key,
        stream: await def.create(
          s,
          user,
          g.parsed,
          g.values,
          {
            batch: id,
            file: up.name,
            sheet: report.file.sheet,
            row: g.row,
            sha256: report.file.sha256,
          },
          ctx,
        ),
      });
  } catch (err) {
    const compensated: string[] = [];
    for (const c of created) {
      if (!def.undo) break;
      try {
        await def.undo(
          s,
          user,
          c.stream,
          `migration batch ${id} failed at row ${good[created.length]?.row ?? '?'}; undone`,
        );
        compensated.push(c.stream);
      } catch {
        /* listed as not undone */
      }
    }
    await asUser(user, async () => {
      const e = migrationEvents.change('migration.failed', {
        ...source,
        created,
        compensated,
        error: String((err as Error).message ?? err).slice(0, 500),
      });
      await s.ledger.append(stream, e.type, e.data, { expectedVersion: 0 });
    });
    throw err;
  }
  await asUser(user, async () => {
    const e = migrationEvents.change('migration.imported', { ...source, created });
    await s.ledger.append(stream, e.type, e.data, { expectedVersion: 0 });
  });
  return { batchId: id, stream, ...source, created };
}
