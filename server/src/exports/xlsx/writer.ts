import { createRequire } from 'node:module';
import ExcelJS from 'exceljs';

// One-sheet Office Open XML workbooks (.xlsx, ECMA-376 / ISO/IEC 29500) written by exceljs (issue
// 14 item 3: a well-kept spreadsheet library, not hand-written XML). Text is written as shared
// strings (never as a formula, so `=cmd|…` in a cell is shown, not evaluated: OWASP "CSV
// injection"); a text starting with = + - @ tab or CR also gets the quote-prefix style, so editing
// the cell in a spreadsheet keeps it text. Numbers as numbers, booleans as booleans, dates as ISO
// text (no time zone or locale changes them). The header row is bold and frozen, with a filter.

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

// exceljs has no `quotePrefix` in its style model (SpreadsheetML cellXfs/xf@quotePrefix, ECMA-376
// Part 1 18.8.45). Two small wrappers carry a style's `quotePrefix: true` into the xf it writes;
// nothing else of the library changes.
let quotePrefixInstalled = false;
function installQuotePrefix() {
  if (quotePrefixInstalled) return;
  quotePrefixInstalled = true;
  const require = createRequire(import.meta.url);
  type Model = { quotePrefix?: boolean } | null | undefined;
  type XmlStream = { openNode(name: string, attrs?: object): void; addAttribute(n: string, v: string): void };
  const StylesXform = require('exceljs/lib/xlsx/xform/style/styles-xform.js') as {
    prototype: { addStyleModel(this: Styles, m: Model, t?: number): number };
  };
  type Styles = { _addStyle(style: object): number };
  const StyleXform = require('exceljs/lib/xlsx/xform/style/style-xform.js') as {
    prototype: { render(this: unknown, x: XmlStream, m: Model): void };
  };
  const addStyleModel = StylesXform.prototype.addStyleModel;
  StylesXform.prototype.addStyleModel = function (model, cellType) {
    if (!model?.quotePrefix) return addStyleModel.call(this, model, cellType);
    const addStyle = this._addStyle;
    this._addStyle = (style: object) => addStyle.call(this, { ...style, quotePrefix: true });
    try {
      return addStyleModel.call(this, model, cellType);
    } finally {
      this._addStyle = addStyle;
    }
  };
  const render = StyleXform.prototype.render;
  StyleXform.prototype.render = function (xml, model) {
    if (!model?.quotePrefix) return render.call(this, xml, model);
    const open = xml.openNode;
    xml.openNode = function (name, attrs) {
      xml.openNode = open;
      open.call(xml, name, attrs);
      xml.addAttribute('quotePrefix', '1');
    };
    try {
      render.call(this, xml, model);
    } finally {
      xml.openNode = open;
    }
  };
}

/** The workbook's bytes. */
export async function writeXlsx(sheet: Sheet): Promise<Buffer> {
  installQuotePrefix();
  const wb = new ExcelJS.Workbook();
  // a fixed time stamp: the same rows make the same workbook properties
  wb.created = wb.modified = new Date(0);
  wb.creator = 'Provenant';
  const ws = wb.addWorksheet(sheetName(sheet.name), {
    views: [{ state: 'frozen', ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }],
  });
  const cols = sheet.header.length;
  const widths = sheet.header.map((h) => textWidth(h));
  const quote = { quotePrefix: true } as Partial<ExcelJS.Style>;
  const all: Cell[][] = [sheet.header, ...sheet.rows];
  all.forEach((row, r) => {
    const xr = ws.getRow(r + 1);
    for (let c = 0; c < Math.max(cols, row.length); c++) {
      const v = row[c];
      if (v === null || v === undefined || v === '') continue;
      const cell = xr.getCell(c + 1);
      if (typeof v === 'number' && Number.isFinite(v)) {
        cell.value = v;
        widths[c] = Math.max(widths[c] ?? 0, String(v).length);
      } else if (typeof v === 'boolean') {
        cell.value = v;
        widths[c] = Math.max(widths[c] ?? 0, 5);
      } else {
        const text = (v instanceof Date ? v.toISOString() : String(v)).replace(ILLEGAL_XML, '');
        // a rich-text-free plain string is a shared string; exceljs writes a formula only for
        // { formula } values, so text stays text
        cell.value = text;
        if (r > 0 && FORMULA_LIKE.test(text)) cell.style = quote;
        widths[c] = Math.max(widths[c] ?? 0, Math.max(...text.split(/\r?\n/).map(textWidth)));
      }
    }
    if (r === 0) xr.font = { bold: true };
  });
  widths.forEach((w, i) => {
    ws.getColumn(i + 1).width = Math.min(60, Math.max(8, w + 2));
  });
  if (sheet.rows.length && cols) ws.autoFilter = { from: 'A1', to: `${columnName(cols - 1)}${all.length}` };
  const out = await wb.xlsx.writeBuffer({ useSharedStrings: true, useStyles: true });
  return Buffer.from(out as ArrayBuffer);
}
