import { inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { AppError, errors } from '../../platform/errors.ts';
import { MAX_COLUMNS, MAX_ROWS } from './csv.ts';

// The first worksheet of an .xlsx workbook (ECMA-376 / ISO/IEC 29500) read by exceljs (issue 14
// item 3: a well-kept spreadsheet library). Before exceljs sees the bytes, a guard walks the ZIP's
// central directory (APPNOTE 4.3.12) and inflates each part under a hard cap, so zip bombs are
// refused by the declared sizes and by the cap while inflating (a size that lies is still
// stopped): at most 200 entries, 50 MB uncompressed per part and in total. A part with a DTD or an
// entity declaration is refused (no external entities, no "billion laughs"); a damaged, truncated
// or encrypted part is a 400.

const MAX_ENTRIES = 200;
export const MAX_UNCOMPRESSED = 50 * 1024 * 1024;

const bad = (en: string, zh: string) => errors.badRequest(en, zh);
const notXlsx = (why: string, whyZh: string) =>
  bad(`Not a readable .xlsx workbook: ${why}.`, `不是可读取的 .xlsx 工作簿:${whyZh}。`);
const bomb = () => new AppError('PAYLOAD_TOO_LARGE', { max: '50 MB (uncompressed)' });

export interface Entry {
  name: string;
  method: number;
  flags: number;
  compressed: number;
  size: number;
  offset: number;
}

export function centralDirectory(buf: Buffer, maxEntries = MAX_ENTRIES): Map<string, Entry> {
  // the end-of-central-directory record: 22 bytes plus a comment of up to 65535
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw notXlsx('no ZIP directory (a truncated or damaged file)', '没有 ZIP 目录(文件被截断或损坏)');
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw notXlsx('ZIP64 is not supported', '不支持 ZIP64');
  if (count > maxEntries) throw bomb();
  if (cdOffset + cdSize > eocd) throw notXlsx('the ZIP directory points outside the file', 'ZIP 目录指向文件之外');
  const entries = new Map<string, Entry>();
  let p = cdOffset;
  let declared = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50)
      throw notXlsx('a damaged ZIP directory entry', 'ZIP 目录项损坏');
    const nameLen = buf.readUInt16LE(p + 28);
    const e: Entry = {
      flags: buf.readUInt16LE(p + 8),
      method: buf.readUInt16LE(p + 10),
      compressed: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      name: buf.toString('utf8', p + 46, p + 46 + nameLen),
      offset: buf.readUInt32LE(p + 42),
    };
    declared += e.size;
    if (e.size > MAX_UNCOMPRESSED || declared > MAX_UNCOMPRESSED) throw bomb();
    entries.set(e.name, e);
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return entries;
}

/** An entry's bytes, inflated under the budget's cap (a size that lies is stopped while inflating). */
export function entryBytes(buf: Buffer, e: Entry, budget: { left: number }): Buffer {
  if (e.flags & 1) throw notXlsx('an encrypted part', '部件已加密');
  const h = e.offset;
  if (h + 30 > buf.length || buf.readUInt32LE(h) !== 0x04034b50)
    throw notXlsx(`a damaged part ${e.name}`, `部件 ${e.name} 损坏`);
  const start = h + 30 + buf.readUInt16LE(h + 26) + buf.readUInt16LE(h + 28);
  const data = buf.subarray(start, start + e.compressed);
  if (start + e.compressed > buf.length) throw notXlsx(`a truncated part ${e.name}`, `部件 ${e.name} 被截断`);
  let out: Buffer;
  if (e.method === 0) out = data;
  else if (e.method === 8) {
    try {
      // the cap holds whatever the directory declared (a lying size is still stopped here)
      out = inflateRawSync(data, { maxOutputLength: Math.max(1, budget.left) });
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) throw bomb();
      throw notXlsx(`a damaged compressed part ${e.name}`, `压缩部件 ${e.name} 损坏`);
    }
  } else throw notXlsx(`compression method ${e.method}`, `压缩方法 ${e.method}`);
  budget.left -= out.length;
  if (budget.left < 0) throw bomb();
  return out;
}

function extract(buf: Buffer, e: Entry, budget: { left: number }): string {
  const out = entryBytes(buf, e, budget);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(out);
  } catch {
    throw notXlsx(`${e.name} is not UTF-8 XML`, `${e.name} 不是 UTF-8 XML`);
  }
}

/** Refuses a workbook that is not a sound, bounded ZIP of UTF-8 XML parts without a DTD. */
function guard(buf: Buffer) {
  const entries = centralDirectory(buf);
  const budget = { left: MAX_UNCOMPRESSED };
  for (const e of entries.values()) {
    if (e.name.endsWith('/')) continue;
    const text = extract(buf, e, budget);
    if (/\.(xml|rels)$/i.test(e.name) && /<!DOCTYPE|<!ENTITY/i.test(text))
      throw bad(
        'XML with a DTD or entity declarations is refused (external entities).',
        '拒绝含 DTD 或实体声明的 XML(外部实体)。',
      );
  }
  if (!entries.has('xl/workbook.xml')) throw notXlsx('no xl/workbook.xml', '没有 xl/workbook.xml');
}

export interface SheetRow {
  /** The row number the spreadsheet shows (1 = the header). */
  row: number;
  cells: string[];
}
export interface ReadSheet {
  sheet: string;
  rows: SheetRow[];
}

/** A cell's value as text: numbers as numbers, booleans TRUE/FALSE, dates as ISO, formulas by their result. */
function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return '';
    const iso = v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if ('richText' in v) return v.richText.map((r) => r.text).join('');
  if ('formula' in v || 'sharedFormula' in v) return cellText((v as { result?: ExcelJS.CellValue }).result ?? null);
  if ('hyperlink' in v) return typeof v.text === 'string' ? v.text : cellText(v.text as ExcelJS.CellValue);
  if ('error' in v) return String(v.error);
  return '';
}

/** The first worksheet's rows as text (numbers as written, booleans as TRUE/FALSE, dates as ISO dates). */
export async function readXlsxSheet(buf: Buffer): Promise<ReadSheet> {
  guard(buf);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch (err) {
    const why = (err as Error).message?.slice(0, 200) ?? 'unreadable';
    throw notXlsx(`the workbook cannot be read (${why})`, `无法读取工作簿(${why})`);
  }
  const ws = wb.worksheets[0];
  if (!ws) throw notXlsx('no worksheet', '没有工作表');
  if (ws.actualColumnCount > MAX_COLUMNS) throw bad(`More than ${MAX_COLUMNS} columns.`, `超过 ${MAX_COLUMNS} 列。`);
  const rows: SheetRow[] = [];
  let failure = null as AppError | null;
  ws.eachRow({ includeEmpty: false }, (r, rowNo) => {
    if (failure) return;
    if (rows.length > MAX_ROWS) {
      failure = bad(`More than ${MAX_ROWS} rows; split the file.`, `超过 ${MAX_ROWS} 行;请拆分文件。`);
      return;
    }
    const cells: string[] = [];
    r.eachCell({ includeEmpty: false }, (c, col) => {
      if (col > MAX_COLUMNS) {
        failure = bad(`More than ${MAX_COLUMNS} columns.`, `超过 ${MAX_COLUMNS} 列。`);
        return;
      }
      while (cells.length < col - 1) cells.push('');
      cells[col - 1] = cellText(c.value);
    });
    if (cells.some((x) => x.trim() !== '')) rows.push({ row: rowNo, cells });
  });
  if (failure) throw failure;
  return { sheet: ws.name, rows };
}
