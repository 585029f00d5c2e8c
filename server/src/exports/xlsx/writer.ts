import { deflateRawSync } from 'node:zlib';

// A small, dependency-free writer of one-sheet Office Open XML workbooks (.xlsx, ECMA-376 /
// ISO/IEC 29500): a ZIP of [Content_Types].xml, the package and workbook relationships, the
// workbook, one worksheet, shared strings and a style sheet with a bold header. Text is written
// as shared strings (never as a formula, so `=cmd|…` in a cell is shown, not evaluated: OWASP
// "CSV injection"), numbers as numbers, dates as ISO text. The header row is frozen and bold.

export type Cell = string | number | boolean | Date | null | undefined;
export interface Sheet {
  /** Shown on the tab; cleaned to ≤31 characters without []:*?/\ (the spreadsheet's own rule). */
  name: string;
  header: string[];
  rows: Cell[][];
}

/** Characters XML 1.0 does not allow (control characters other than tab, LF, CR; lone surrogates; U+FFFE/FFFF). */
const ILLEGAL_XML =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
export const xmlText = (s: string) =>
  s
    .replace(ILLEGAL_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r/g, '&#13;');

/** A tab name Excel accepts: no []:*?/\, not empty, at most 31 characters, no leading/trailing apostrophe. */
export function sheetName(name: string): string {
  const cleaned = [...name.replace(ILLEGAL_XML, '').replace(/[[\]:*?/\\]/g, ' ')]
    .slice(0, 31)
    .join('')
    .replace(/^'+|'+$/g, '')
    .trim();
  return cleaned || 'Sheet1';
}

/** Column letters of a 0-based index: 0 → A, 26 → AA. */
export function columnName(i: number): string {
  let n = i + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** The text a cell shows; a Date as ISO 8601 (UTC) so no time zone or locale changes it. */
function cellText(v: Cell): string {
  if (v instanceof Date) return v.toISOString();
  return String(v ?? '');
}

/** Display width of text: CJK and other wide characters count two. */
function textWidth(s: string): number {
  let w = 0;
  for (const ch of s)
    w +=
      /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]|[\u{20000}-\u{3FFFD}]/u.test(
        ch,
      )
        ? 2
        : 1;
  return w;
}

/** Text a spreadsheet would take for a formula if it were typed or pasted (OWASP CSV injection). */
export const FORMULA_LIKE = /^[=+\-@\t\r]/;

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';

function sheetXml(sheet: Sheet, strings: { index(s: string): number }): string {
  const cols = sheet.header.length;
  const widths = sheet.header.map((h) => textWidth(h));
  const rowXml: string[] = [];
  const all: Cell[][] = [sheet.header, ...sheet.rows];
  all.forEach((row, r) => {
    const cells: string[] = [];
    for (let c = 0; c < Math.max(cols, row.length); c++) {
      const v = row[c];
      if (v === null || v === undefined || v === '') continue;
      const ref = `${columnName(c)}${r + 1}`;
      const style = r === 0 ? ' s="1"' : '';
      if (typeof v === 'number' && Number.isFinite(v)) {
        cells.push(`<c r="${ref}"${style}><v>${v}</v></c>`);
        widths[c] = Math.max(widths[c] ?? 0, String(v).length);
      } else if (typeof v === 'boolean') {
        cells.push(`<c r="${ref}"${style} t="b"><v>${v ? 1 : 0}</v></c>`);
        widths[c] = Math.max(widths[c] ?? 0, 5);
      } else {
        // every text is a shared string, never a formula; one starting with = + - @ tab or CR also
        // gets the quote-prefix style, so editing the cell in a spreadsheet keeps it text
        const text = cellText(v);
        const st = r > 0 && FORMULA_LIKE.test(text) ? ' s="2"' : style;
        cells.push(`<c r="${ref}"${st} t="s"><v>${strings.index(text)}</v></c>`);
        const longest = Math.max(...text.split(/\r?\n/).map(textWidth));
        widths[c] = Math.max(widths[c] ?? 0, longest);
      }
    }
    rowXml.push(`<row r="${r + 1}">${cells.join('')}</row>`);
  });
  const colXml = widths
    .map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${Math.min(60, Math.max(8, w + 2))}" customWidth="1"/>`)
    .join('');
  const lastCol = columnName(Math.max(0, widths.length - 1));
  return (
    XML_HEAD +
    `<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
    `<dimension ref="A1:${lastCol}${all.length}"/>` +
    '<sheetViews><sheetView workbookViewId="0">' +
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' +
    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>' +
    '</sheetView></sheetViews>' +
    '<sheetFormatPr defaultRowHeight="15"/>' +
    (colXml ? `<cols>${colXml}</cols>` : '') +
    `<sheetData>${rowXml.join('')}</sheetData>` +
    (sheet.rows.length ? `<autoFilter ref="A1:${lastCol}${all.length}"/>` : '') +
    '</worksheet>'
  );
}

const STYLES =
  XML_HEAD +
  `<styleSheet xmlns="${NS_MAIN}">` +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>' +
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/></cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  '</styleSheet>';

/** The workbook's bytes. */
export function writeXlsx(sheet: Sheet): Buffer {
  const list: string[] = [];
  const seen = new Map<string, number>();
  const strings = {
    index(s: string) {
      let i = seen.get(s);
      if (i === undefined) {
        i = list.length;
        list.push(s);
        seen.set(s, i);
      }
      return i;
    },
  };
  const sheetBody = sheetXml(sheet, strings);
  const total =
    sheet.rows.reduce(
      (n, r) => n + r.filter((v) => typeof v !== 'number' && v !== null && v !== undefined && v !== '').length,
      0,
    ) + sheet.header.length;
  const sst =
    XML_HEAD +
    `<sst xmlns="${NS_MAIN}" count="${total}" uniqueCount="${list.length}">` +
    list.map((s) => `<si><t xml:space="preserve">${xmlText(s)}</t></si>`).join('') +
    '</sst>';
  const files: Array<[string, string]> = [
    [
      '[Content_Types].xml',
      XML_HEAD +
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' +
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
        '</Types>',
    ],
    [
      '_rels/.rels',
      XML_HEAD +
        `<Relationships xmlns="${NS_PKG_REL}">` +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
        '</Relationships>',
    ],
    [
      'xl/workbook.xml',
      XML_HEAD +
        `<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
        `<sheets><sheet name="${xmlText(sheetName(sheet.name))}" sheetId="1" r:id="rId1"/></sheets>` +
        (sheet.rows.length
          ? `<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'${xmlText(sheetName(sheet.name)).replace(/'/g, "''")}'!$A$1:$${columnName(Math.max(0, sheet.header.length - 1))}$${sheet.rows.length + 1}</definedName></definedNames>`
          : '') +
        '</workbook>',
    ],
    [
      'xl/_rels/workbook.xml.rels',
      XML_HEAD +
        `<Relationships xmlns="${NS_PKG_REL}">` +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>' +
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' +
        '</Relationships>',
    ],
    ['xl/worksheets/sheet1.xml', sheetBody],
    ['xl/sharedStrings.xml', sst],
    ['xl/styles.xml', STYLES],
  ];
  return zip(files.map(([name, text]) => ({ name, data: Buffer.from(text, 'utf8') })));
}

// ---- ZIP (PKWARE APPNOTE 6.3: local headers, deflated data, central directory, end record) ----

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
export function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// a fixed time stamp (1980-01-01 00:00, the DOS epoch): the same rows make the same bytes
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

function zip(files: Array<{ name: string; data: Buffer }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const name = Buffer.from(f.name, 'utf8');
    const packed = deflateRawSync(f.data);
    const crc = crc32(f.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(f.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(f.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
