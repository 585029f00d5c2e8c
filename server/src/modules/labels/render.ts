import bwipjs from 'bwip-js';
import { PDFDocument, rgb, type PDFFont, type PDFImage, type PDFPage } from 'pdf-lib';
import { loadCjkFontBytes, pdfLibFontkit } from '../../pdf/fonts.ts';
import type { Udi } from './udi.ts';

// Label artwork: a GS1 DataMatrix (FNC1 in first position) with the human-readable
// interpretation beside it, as PNG (one label, for screens and the DHR) or a PDF sheet (printing).

export interface LabelData {
  udi: Udi;
  partNumber: string;
  name: { zh: string; en: string };
  lot?: string | null;
  serial?: string | null;
  expiry?: string | null;
}

export interface PngOptions {
  /** Pixels per module (default 4). */
  scale?: number;
  /** Draw the HRI and part number (default true). */
  text?: boolean;
}

/**
 * bwip-js input for the symbol. 'gs1datamatrix' takes the bracketed HRI and checks it against
 * the GS1 AI rules; a value containing parentheses cannot be written in that syntax, so those
 * symbols are built from FNC1 markers instead (same symbol: FNC1 first, FNC1 as separator).
 */
function symbolOptions(udi: Udi) {
  const hasParens = udi.parts.some((p) => /[()]/.test(p.value));
  if (!hasParens) return { bcid: 'gs1datamatrix', text: udi.hri };
  return { bcid: 'datamatrix', parsefnc: true, text: '^FNC1' + udi.elementString.replaceAll('\u001d', '^FNC1') };
}

// bwip-js draws with its built-in OCR-B (ASCII only): keep the English line printable
const ascii = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/\|/g, '/')
    .trim();

/** One label as PNG: the symbol, the HRI lines to its right, part number and English name below. */
export async function renderLabelPng(label: LabelData, opts: PngOptions = {}): Promise<Buffer> {
  const withText = opts.text ?? true;
  const scale = opts.scale ?? 4;
  const text = withText
    ? {
        includetext: true,
        alttext: label.udi.parts.map((p) => `(${p.ai})${p.value}`).join('|'),
        textsplit: '|',
        textxalign: 'offright' as const,
        textyalign: 'center' as const,
        textsize: 8,
        textxoffset: 4,
        extratext: [`PN ${ascii(label.partNumber)}`, ascii(label.name.en)].filter(Boolean).join('|'),
        extratextsplit: '|',
        extratextxalign: 'left',
        extratextyalign: 'below',
        extratextsize: 8,
        extratextyoffset: -2,
      }
    : {};
  // padding is the quiet zone scanners need around the symbol
  return bwipjs.toBuffer({
    ...symbolOptions(label.udi),
    scale,
    paddingwidth: 6,
    paddingheight: 6,
    backgroundcolor: 'FFFFFF',
    ...text,
  } as never);
}

/** The bare symbol (quiet zone included) for embedding in PDFs. */
export function renderSymbolPng(udi: Udi, scale = 8): Promise<Buffer> {
  return bwipjs.toBuffer({
    ...symbolOptions(udi),
    scale,
    paddingwidth: 2,
    paddingheight: 2,
    backgroundcolor: 'FFFFFF',
  } as never);
}

// A4 portrait, 2 × 7 labels of 90 × 38 mm: common die-cut label stock
const MM = 72 / 25.4;
const PAGE = { w: 210 * MM, h: 297 * MM };
const GRID = { cols: 2, rows: 7, w: 90 * MM, h: 38 * MM, gapX: 6 * MM, gapY: 2 * MM };
const SYMBOL = 24 * MM;

const SHEET_TITLE = { 'zh-CN': 'UDI 标签', 'en-US': 'UDI labels' } as const;

/** A printable sheet: each label has the symbol, HRI text, part number and the name in Chinese and English. */
export async function renderLabelSheetPdf(labels: LabelData[], locale: 'zh-CN' | 'en-US' = 'zh-CN'): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(pdfLibFontkit);
  doc.setTitle(SHEET_TITLE[locale]);
  doc.setCreator('Provenant');
  // one embedded font for everything, the HRI line too: a standard font (Courier) is not embedded,
  // and a printed sheet must look the same in every reader (GS1 asks HRI to be legible, not monospace)
  const cjk = await doc.embedFont(await loadCjkFontBytes(), { subset: true });
  const fonts = { cjk, mono: cjk };
  const images = new Map<string, PDFImage>(); // a sheet often repeats one lot's symbol
  const perPage = GRID.cols * GRID.rows;
  const left = (PAGE.w - GRID.cols * GRID.w - (GRID.cols - 1) * GRID.gapX) / 2;
  const top = PAGE.h - (PAGE.h - GRID.rows * GRID.h - (GRID.rows - 1) * GRID.gapY) / 2;
  let page: PDFPage | undefined;
  for (let i = 0; i < labels.length; i++) {
    if (i % perPage === 0) page = doc.addPage([PAGE.w, PAGE.h]);
    const cell = i % perPage;
    const x = left + (cell % GRID.cols) * (GRID.w + GRID.gapX);
    const y = top - (Math.floor(cell / GRID.cols) + 1) * GRID.h - Math.floor(cell / GRID.cols) * GRID.gapY;
    const label = labels[i];
    let image = images.get(label.udi.hri);
    if (!image) {
      image = await doc.embedPng(await renderSymbolPng(label.udi));
      images.set(label.udi.hri, image);
    }
    drawLabel(page!, { x, y }, label, image, fonts, locale);
  }
  if (!labels.length) doc.addPage([PAGE.w, PAGE.h]);
  return Buffer.from(await doc.save());
}

function drawLabel(
  page: PDFPage,
  at: { x: number; y: number },
  label: LabelData,
  image: PDFImage,
  fonts: { cjk: PDFFont; mono: PDFFont },
  locale: 'zh-CN' | 'en-US',
) {
  const pad = 3 * MM;
  page.drawRectangle({
    x: at.x,
    y: at.y,
    width: GRID.w,
    height: GRID.h,
    borderColor: rgb(0.75, 0.75, 0.75),
    borderWidth: 0.5,
  });
  page.drawImage(image, { x: at.x + pad, y: at.y + (GRID.h - SYMBOL) / 2, width: SYMBOL, height: SYMBOL });
  const textX = at.x + pad + SYMBOL + 3 * MM;
  const maxWidth = at.x + GRID.w - pad - textX;
  const names = locale === 'zh-CN' ? [label.name.zh, label.name.en] : [label.name.en, label.name.zh];
  let y = at.y + GRID.h - pad - 8;
  const line = (text: string, font: PDFFont, size: number) => {
    page.drawText(fit(text, font, size, maxWidth), { x: textX, y, size, font, color: rgb(0, 0, 0) });
    y -= size + 2.5;
  };
  for (const n of names) if (n) line(n, fonts.cjk, 8);
  line(`PN ${label.partNumber}`, fonts.cjk, 7);
  for (const p of label.udi.parts) line(`(${p.ai})${p.value}`, fonts.mono, 8);
}

/** Shortens text with an ellipsis until it fits the label. */
function fit(text: string, font: PDFFont, size: number, width: number): string {
  if (font.widthOfTextAtSize(text, size) <= width) return text;
  let t = text;
  while (t.length > 1 && font.widthOfTextAtSize(t + '…', size) > width) t = t.slice(0, -1);
  return t + '…';
}
