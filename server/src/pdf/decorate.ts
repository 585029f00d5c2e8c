import QRCode from 'qrcode';
import { rgb, type PDFDocument, type PDFPage } from 'pdf-lib';
import { Canvas, formXObject } from './canvas.ts';
import { A4, COLORS, MARGIN, type Fonts } from './page.ts';
import { textWidth } from './text.ts';

// Header and footer on every page, drawn once the page count is known: the document title, the
// record reference, "page X of Y", the ledger head hash the export was made from, and a QR code
// to the record's verification page. Appended pages (certificates of analysis) get a compact band.
export interface Decor {
  title: string;
  reference: string;
  headHash: string;
  verifyUrl: string;
  pageOf: (x: number, y: number) => string;
  headLabel: string;
  generatedLine: string;
}

/** QR modules as horizontal runs [row, col, length]: a few hundred rectangles per page at most. */
export function qrRuns(text: string): { size: number; runs: Array<[number, number, number]> } {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size,
    data = qr.modules.data,
    runs: Array<[number, number, number]> = [];
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (!data[r * n + c]) continue;
      let len = 1;
      while (c + len < n && data[r * n + c + len]) len++;
      runs.push([r, c, len]);
      c += len - 1;
    }
  }
  return { size: n, runs };
}

/** The QR code as one form XObject: stored once, drawn on every page. */
function qrForm(doc: PDFDocument, text: string, side: number) {
  const qr = qrRuns(text),
    m = side / qr.size,
    f = (v: number) => (Math.round(v * 1000) / 1000).toString();
  const ops = [
    '0 0 0 rg',
    ...qr.runs.map(([r, c, len]) => `${f(c * m)} ${f(side - (r + 1) * m)} ${f(len * m + 0.02)} ${f(m + 0.02)} re`),
    'f',
  ];
  return formXObject(doc, ops.join('\n'), side, side);
}

const clip = (fonts: Fonts, s: string, size: number, max: number) => {
  if (textWidth(fonts.regular, s, size) <= max) return s;
  let out = '';
  for (const ch of s) {
    if (textWidth(fonts.regular, out + ch + '…', size) > max) break;
    out += ch;
  }
  return out + '…';
};

export function decoratePages(doc: PDFDocument, pages: PDFPage[], flowPages: Set<PDFPage>, fonts: Fonts, d: Decor) {
  const qrSide = 48,
    qr = qrForm(doc, d.verifyUrl, qrSide);
  const total = pages.length;
  const { width, height } = A4,
    left = MARGIN.left,
    right = width - MARGIN.right;
  const title = clip(fonts, d.title, 11, right - left - qrSide - 10),
    reference = clip(fonts, d.reference, 8, right - left - qrSide - 10);
  const generated = clip(fonts, d.generatedLine, 6.5, right - left - 110);
  pages.forEach((page, i) => {
    const pageOf = d.pageOf(i + 1, total);
    if (!flowPages.has(page)) return stampAppended(page, fonts, d, pageOf);
    const c = new Canvas(page, doc);
    c.text(title, left, height - 38, 11, fonts.bold, COLORS.text);
    c.text(reference, left, height - 52, 8, fonts.regular, COLORS.muted);
    c.form(qr, right - qrSide, height - 24 - qrSide);
    c.line(left, height - 74, right, height - 74, 0.6, COLORS.rule);
    c.line(left, 44, right, 44, 0.6, COLORS.rule);
    c.text(`${d.headLabel} ${d.headHash}`, left, 33, 6.5, fonts.regular, COLORS.muted);
    c.text(generated, left, 23, 6.5, fonts.regular, COLORS.muted);
    c.text(pageOf, right - textWidth(fonts.regular, pageOf, 8.5), 26, 8.5, fonts.regular, COLORS.text);
    c.flush();
  });
}

function stampAppended(page: PDFPage, fonts: Fonts, d: Decor, pageOf: string) {
  const { width } = page.getSize();
  const line = clip(fonts, `${d.reference} · ${pageOf}`, 7, width - 20);
  const w = textWidth(fonts.regular, line, 7);
  page.drawRectangle({ x: width - w - 14, y: 4, width: w + 10, height: 12, color: rgb(1, 1, 1), opacity: 0.85 });
  page.drawText(line, { x: width - w - 9, y: 7.5, size: 7, font: fonts.regular, color: COLORS.text });
}
