import type { PDFFont } from 'pdf-lib';

// Text measurement and line breaking. pdf-lib measures a string by running the font's shaper;
// doing that for every candidate line is the slowest part of layout, so glyphs and advance
// widths are looked up once per character and font file, for every document of the process
// (pdf-lib draws without kerning, so the sum of advances is exact).

export interface FkGlyph {
  id: number;
  advanceWidth: number;
}
interface FkFont {
  unitsPerEm: number;
  glyphForCodePoint(cp: number): FkGlyph;
}
/** The parsed fontkit font behind an embedded custom font (shared by documents: see fonts.ts). */
export const fontkitOf = (font: PDFFont): FkFont | undefined =>
  (font as unknown as { embedder?: { font?: FkFont } }).embedder?.font;

const glyphCache = new WeakMap<object, Map<string, FkGlyph>>();
export function glyphOf(fk: FkFont, ch: string): FkGlyph {
  let m = glyphCache.get(fk);
  if (!m) {
    m = new Map();
    glyphCache.set(fk, m);
  }
  let g = m.get(ch);
  if (!g) {
    g = fk.glyphForCodePoint(ch.codePointAt(0) ?? 0);
    m.set(ch, g);
  }
  return g;
}

const widthCache = new WeakMap<object, Map<string, number>>();
export function charWidth(font: PDFFont, ch: string): number {
  const key: object = fontkitOf(font) ?? font;
  let m = widthCache.get(key);
  if (!m) {
    m = new Map();
    widthCache.set(key, m);
  }
  let w = m.get(ch);
  if (w === undefined) {
    const fk = fontkitOf(font);
    try {
      w = fk ? glyphOf(fk, ch).advanceWidth / fk.unitsPerEm : font.widthOfTextAtSize(ch, 1);
    } catch {
      w = 1;
    }
    m.set(ch, w);
  }
  return w;
}

export function textWidth(font: PDFFont, text: string, size: number): number {
  let w = 0;
  for (const ch of text) w += charWidth(font, ch);
  return w * size;
}

// Han, kana, Hangul, CJK punctuation and full-width forms break between any two characters.
const CJK = /[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]/u;
// …except that these never start a line (a light version of the Chinese line-breaking rules).
const NO_LINE_START = new Set([...'，。、；：？！）》」』】〕〉”’,.;:?!)]}%']);

/** Splits into break units: a CJK character, a run of other non-space characters, or spaces. */
function units(text: string): string[] {
  const out: string[] = [];
  let word = '';
  for (const ch of text) {
    if (ch === ' ' || CJK.test(ch)) {
      if (word) {
        out.push(word);
        word = '';
      }
      if (ch === ' ' && out.length && out[out.length - 1].endsWith(' ')) continue;
      out.push(ch);
    } else word += ch;
  }
  if (word) out.push(word);
  return out;
}

/** Greedy line breaking; "\n" forces a break; a word longer than the line is cut by character. */
export function wrapText(font: PDFFont, text: string, size: number, maxWidth: number): string[] {
  // most table cells fit on one line: measure once, skip the break search
  if (!text.includes('\n') && !text.includes('  ') && textWidth(font, text, size) <= maxWidth) return [text.trim()];
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let line = '',
      lineW = 0;
    for (const u of units(para)) {
      if (u === ' ' && line === '') continue;
      const w = textWidth(font, u, size);
      if (lineW + w <= maxWidth || (line === '' && w <= maxWidth)) {
        line += u;
        lineW += w;
        continue;
      }
      if (u === ' ') {
        lines.push(line);
        line = '';
        lineW = 0;
        continue;
      }
      if (NO_LINE_START.has(u[0]) && line) {
        // hang the punctuation on the previous line
        line += u;
        lineW += w;
        continue;
      }
      if (w > maxWidth) {
        // cut an over-long token (hashes, part numbers) by character
        for (const ch of u) {
          const cw = charWidth(font, ch) * size;
          if (lineW + cw > maxWidth && line) {
            lines.push(line.trimEnd());
            line = '';
            lineW = 0;
          }
          line += ch;
          lineW += cw;
        }
        continue;
      }
      lines.push(line.trimEnd());
      line = u;
      lineW = w;
    }
    lines.push(line.trimEnd());
  }
  return lines;
}
