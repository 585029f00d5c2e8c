import { inflateRawSync } from 'node:zlib';
import { AppError, errors } from '../../platform/errors.ts';
import { MAX_COLUMNS, MAX_ROWS } from './csv.ts';

// A small reader of the first worksheet of an .xlsx workbook (ECMA-376 / ISO/IEC 29500), the
// counterpart of exports/xlsx/writer.ts. The ZIP is read from its central directory (APPNOTE
// 4.3.12); only the parts needed are inflated (node:zlib inflateRaw). Zip bombs are refused by
// the declared sizes before anything is inflated and by a hard cap while inflating: at most 200
// entries, 50 MB uncompressed per part and in total. The XML parser takes elements, attributes,
// text, CDATA and the five predefined entities plus character references; a DTD, an entity
// declaration or any other entity reference is refused (no external entities, no "billion laughs").

const MAX_ENTRIES = 200;
export const MAX_UNCOMPRESSED = 50 * 1024 * 1024;
const MAX_DEPTH = 64;

const bad = (en: string, zh: string) => errors.badRequest(en, zh);
const notXlsx = (why: string, whyZh: string) =>
  bad(`Not a readable .xlsx workbook: ${why}.`, `不是可读取的 .xlsx 工作簿:${whyZh}。`);
const bomb = () => new AppError('PAYLOAD_TOO_LARGE', { max: '50 MB (uncompressed)' });

interface Entry {
  name: string;
  method: number;
  flags: number;
  compressed: number;
  size: number;
  offset: number;
}

function centralDirectory(buf: Buffer): Map<string, Entry> {
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
  if (count > MAX_ENTRIES) throw bomb();
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

function extract(buf: Buffer, e: Entry, budget: { left: number }): string {
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
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(out);
  } catch {
    throw notXlsx(`${e.name} is not UTF-8 XML`, `${e.name} 不是 UTF-8 XML`);
  }
}

export interface XmlNode {
  name: string; // local name (prefix dropped)
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
function decodeEntities(s: string): string {
  return s.replace(/&([^;&\s]{0,10});/g, (_m, ent: string) => {
    if (ent in ENTITIES) return ENTITIES[ent];
    const code = /^#x([0-9a-fA-F]{1,6})$/.exec(ent)?.[1] ?? null;
    const dec = /^#([0-9]{1,7})$/.exec(ent)?.[1] ?? null;
    const cp = code !== null ? parseInt(code, 16) : dec !== null ? Number(dec) : NaN;
    if (!Number.isFinite(cp) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp === 0)
      throw bad(`XML: the entity &${ent}; is not allowed.`, `XML:不允许实体 &${ent};。`);
    return String.fromCodePoint(cp);
  });
}
const local = (n: string) => n.slice(n.indexOf(':') + 1);

/** A tree of the document's elements. DTDs and entity declarations are refused. */
export function parseXml(xml: string): XmlNode {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml))
    throw bad(
      'XML with a DTD or entity declarations is refused (external entities).',
      '拒绝含 DTD 或实体声明的 XML(外部实体)。',
    );
  const root: XmlNode = { name: '#root', attrs: {}, children: [], text: '' };
  const stack: XmlNode[] = [root];
  const re =
    /<!\[CDATA\[([\s\S]*?)\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<\/([^\s>]+)\s*>|<([^\s/>!?]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)|(<)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(xml))) {
    const top = stack[stack.length - 1];
    if (m[1] !== undefined) top.text += m[1];
    else if (m[2] !== undefined) {
      if (stack.length === 1 || top.name !== local(m[2]))
        throw bad('XML: mismatched closing tag.', 'XML:结束标签不匹配。');
      stack.pop();
    } else if (m[3] !== undefined) {
      const attrs: Record<string, string> = {};
      for (const a of m[4].matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g))
        attrs[local(a[1])] = decodeEntities(a[2] ?? a[3] ?? '');
      const node: XmlNode = { name: local(m[3]), attrs, children: [], text: '' };
      top.children.push(node);
      if (!m[5]) {
        if (stack.length > MAX_DEPTH) throw bad('XML: nested too deeply.', 'XML:嵌套过深。');
        stack.push(node);
      }
    } else if (m[6] !== undefined) top.text += decodeEntities(m[6]);
    else if (m[7] !== undefined) throw bad('XML: a malformed tag.', 'XML:标签格式错误。');
  }
  if (stack.length !== 1) throw bad('XML: an element is not closed.', 'XML:元素未闭合。');
  return root;
}

const find = (n: XmlNode, name: string) => n.children.find((c) => c.name === name);
const textOf = (n: XmlNode): string => (n.name === 'rPh' ? '' : n.text + n.children.map(textOf).join('')); // phonetic runs are not the text

function columnIndex(ref: string): number {
  const letters = /^([A-Z]{1,3})\d*$/.exec(ref)?.[1];
  if (!letters) return -1;
  let n = 0;
  for (const ch of letters) n = n * 26 + ch.charCodeAt(0) - 64;
  return n - 1;
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

/** The first worksheet's rows as text (numbers as written in the file, booleans as TRUE/FALSE). */
export function readXlsxSheet(buf: Buffer): ReadSheet {
  const entries = centralDirectory(buf);
  const budget = { left: MAX_UNCOMPRESSED };
  const part = (name: string) => {
    const e = entries.get(name);
    return e ? parseXml(extract(buf, e, budget)) : null;
  };
  const workbook = part('xl/workbook.xml');
  if (!workbook) throw notXlsx('no xl/workbook.xml', '没有 xl/workbook.xml');
  const sheets = find(workbook.children[0] ?? workbook, 'sheets')?.children ?? [];
  const sheetName = sheets[0]?.attrs.name ?? 'Sheet1';
  const sheetPart =
    (entries.has('xl/worksheets/sheet1.xml') && 'xl/worksheets/sheet1.xml') ||
    [...entries.keys()].filter((k) => /^xl\/worksheets\/[^/]+\.xml$/.test(k)).sort()[0];
  if (!sheetPart) throw notXlsx('no worksheet', '没有工作表');
  const sst = part('xl/sharedStrings.xml');
  const shared = (sst ? (sst.children[0]?.children ?? []) : []).filter((n) => n.name === 'si').map(textOf);
  const ws = part(sheetPart)!;
  const data = find(ws.children[0] ?? ws, 'sheetData');
  const rows: SheetRow[] = [];
  let next = 1;
  for (const r of data?.children ?? []) {
    if (r.name !== 'row') continue;
    const rowNo = r.attrs.r ? Number(r.attrs.r) : next;
    if (!Number.isInteger(rowNo) || rowNo < 1 || rowNo > 1_048_576) throw notXlsx('a bad row number', '行号错误');
    next = rowNo + 1;
    if (rows.length > MAX_ROWS)
      throw bad(`More than ${MAX_ROWS} rows; split the file.`, `超过 ${MAX_ROWS} 行;请拆分文件。`);
    const cells: string[] = [];
    let col = 0;
    for (const c of r.children) {
      if (c.name !== 'c') continue;
      const at = c.attrs.r ? columnIndex(c.attrs.r) : col;
      if (at < 0) throw notXlsx('a bad cell reference', '单元格引用错误');
      if (at >= MAX_COLUMNS) throw bad(`More than ${MAX_COLUMNS} columns.`, `超过 ${MAX_COLUMNS} 列。`);
      col = at + 1;
      const v = find(c, 'v');
      const t = c.attrs.t ?? 'n';
      let value = '';
      if (t === 's') {
        const i = Number(v?.text ?? -1);
        if (!Number.isInteger(i) || i < 0 || i >= shared.length)
          throw notXlsx('a cell names a shared string that does not exist', '单元格引用了不存在的共享字符串');
        value = shared[i];
      } else if (t === 'inlineStr') value = find(c, 'is') ? textOf(find(c, 'is')!) : '';
      else if (t === 'b') value = v?.text === '1' ? 'TRUE' : 'FALSE';
      else value = v ? textOf(v) : '';
      while (cells.length < at) cells.push('');
      cells[at] = value;
    }
    if (cells.some((x) => x.trim() !== '')) rows.push({ row: rowNo, cells });
  }
  return { sheet: sheetName, rows };
}
