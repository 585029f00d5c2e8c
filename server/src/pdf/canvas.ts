import { deflateSync } from 'node:zlib';
import type { PDFDocument, PDFFont, PDFImage, PDFPage, RGB } from 'pdf-lib';
import { fontkitOf, glyphOf, type FkGlyph } from './text.ts';

// A page's drawing operators written as PDF content-stream text and compressed once with the
// native zlib. pdf-lib's drawText/drawLine build an object per operator and shape every string
// with fontkit; for a 40-page record that was most of the time. Here a character is shaped once
// per document (its glyph id in the font subset is cached) and an operator is a short string.

const glyphHex = new WeakMap<PDFFont, Map<string, string>>();
const stringHex = new WeakMap<PDFFont, Map<string, string>>();

/** The hex glyph codes of `text` in the embedded (subset) font. */
export function encodeText(font: PDFFont, text: string): string {
  let strings = stringHex.get(font);
  if (!strings) {
    strings = new Map();
    stringHex.set(font, strings);
  }
  const known = strings.get(text); // table cells repeat a lot: units, results, names, dates
  if (known !== undefined) return known;
  let cache = glyphHex.get(font);
  if (!cache) {
    cache = new Map();
    glyphHex.set(font, cache);
  }
  let out = '';
  for (const ch of text) {
    let hex = cache.get(ch);
    if (hex === undefined) {
      hex = subsetCode(font, ch);
      cache.set(ch, hex);
    }
    out += hex;
  }
  if (text.length <= 40) strings.set(text, out);
  return out;
}

interface SubsetEmbedder {
  font: unknown;
  subset: { includeGlyph(g: FkGlyph): number };
  glyphs: FkGlyph[];
  glyphIdMap: Map<number, number>;
  glyphCache: { invalidate(): void };
}

/**
 * The glyph's code in this document's font subset. Does what pdf-lib's subset embedder does in
 * encodeText() for one character, without shaping it again (the glyph comes from a per-process
 * cache); falls back to pdf-lib when the embedder is not the subset one.
 */
function subsetCode(font: PDFFont, ch: string): string {
  const emb = (font as unknown as { embedder?: Partial<SubsetEmbedder> }).embedder;
  const fk = fontkitOf(font);
  if (!fk || !emb?.subset || !emb.glyphs || !emb.glyphIdMap || !emb.glyphCache) return font.encodeText(ch).asString();
  const glyph = glyphOf(fk, ch);
  const id = emb.subset.includeGlyph(glyph);
  emb.glyphs[id - 1] = glyph;
  emb.glyphIdMap.set(glyph.id, id);
  emb.glyphCache.invalidate();
  (font as unknown as { modified: boolean }).modified = true; // re-embed the subset at save
  return id.toString(16).padStart(4, '0');
}

const n = (v: number) => (Math.round(v * 100) / 100).toString();
const colorOps = new WeakMap<RGB, string>();
const rgbOp = (c: RGB, op: 'rg' | 'RG') => {
  let rgb = colorOps.get(c);
  if (rgb === undefined) {
    rgb = `${n(c.red)} ${n(c.green)} ${n(c.blue)}`;
    colorOps.set(c, rgb);
  }
  return `${rgb} ${op}`;
};

// resource names per page, shared by every canvas drawing on that page
const pageResources = new WeakMap<PDFPage, { fonts: Map<PDFFont, string>; xobjects: Map<unknown, string> }>();

export class Canvas {
  private ops: string[] = [];
  // text state written so far in this stream: unchanged font, size and colour are not repeated
  private curFont = '';
  private curFill = '';
  // rules are collected per style and stroked as one path each when the stream is written
  private rules = new Map<string, string[]>();
  private fontKeys: Map<PDFFont, string>;
  private xobjects: Map<unknown, string>;

  constructor(
    readonly page: PDFPage,
    private doc: PDFDocument,
  ) {
    let r = pageResources.get(page);
    if (!r) {
      r = { fonts: new Map(), xobjects: new Map() };
      pageResources.set(page, r);
    }
    this.fontKeys = r.fonts;
    this.xobjects = r.xobjects;
  }

  private fontKey(font: PDFFont): string {
    let k = this.fontKeys.get(font);
    if (!k) {
      k = this.page.node.newFontDictionary(font.name, font.ref).toString();
      this.fontKeys.set(font, k);
    }
    return k;
  }

  xobjectKey(ref: PDFImage['ref'], tag = 'X'): string {
    let k = this.xobjects.get(ref);
    if (!k) {
      k = this.page.node.newXObject(tag, ref).toString();
      this.xobjects.set(ref, k);
    }
    return k;
  }

  text(s: string, x: number, y: number, size: number, font: PDFFont, color: RGB) {
    if (!s) return;
    let op = 'BT ';
    const tf = `${this.fontKey(font)} ${n(size)} Tf `;
    if (tf !== this.curFont) {
      op += tf;
      this.curFont = tf;
    }
    const fill = rgbOp(color, 'rg');
    if (fill !== this.curFill) {
      op += `${fill} `;
      this.curFill = fill;
    }
    this.ops.push(`${op}1 0 0 1 ${n(x)} ${n(y)} Tm <${encodeText(font, s)}> Tj ET`);
  }

  /** A rule (table grid, separators): drawn on top of fills, when the stream is written. */
  line(x1: number, y1: number, x2: number, y2: number, width: number, color: RGB) {
    const style = `${rgbOp(color, 'RG')} ${n(width)} w`;
    let segs = this.rules.get(style);
    if (!segs) {
      segs = [];
      this.rules.set(style, segs);
    }
    segs.push(`${n(x1)} ${n(y1)} m ${n(x2)} ${n(y2)} l`);
  }

  fillRect(x: number, y: number, w: number, h: number, color: RGB) {
    this.ops.push(`q ${rgbOp(color, 'rg')} ${n(x)} ${n(y)} ${n(w)} ${n(h)} re f Q`);
  }

  strokeRect(x: number, y: number, w: number, h: number, width: number, color: RGB) {
    this.ops.push(`q ${rgbOp(color, 'RG')} ${n(width)} w ${n(x)} ${n(y)} ${n(w)} ${n(h)} re S Q`);
  }

  image(img: PDFImage, x: number, y: number, w: number, h: number) {
    this.ops.push(`q ${n(w)} 0 0 ${n(h)} ${n(x)} ${n(y)} cm ${this.xobjectKey(img.ref, 'Image')} Do Q`);
  }

  /** Draws a form XObject (e.g. the QR code, built once per document) at x, y. */
  form(ref: PDFImage['ref'], x: number, y: number) {
    this.ops.push(`q 1 0 0 1 ${n(x)} ${n(y)} cm ${this.xobjectKey(ref, 'Fm')} Do Q`);
  }

  /** Writes the operators so far into the page as one compressed content stream. */
  flush() {
    for (const [style, segs] of this.rules) this.ops.push(`q ${style} ${segs.join(' ')} S Q`);
    this.rules.clear();
    if (!this.ops.length) return;
    // level 1: a fraction of the CPU of the default for content streams only ~15% larger
    const bytes = deflateSync(Buffer.from(this.ops.join('\n'), 'latin1'), { level: 1 });
    this.ops = [];
    this.curFont = this.curFill = ''; // the next stream states them again
    const stream = this.doc.context.stream(bytes, { Filter: 'FlateDecode' });
    this.page.node.addContentStream(this.doc.context.register(stream));
  }
}

/** A form XObject from raw operators (drawn many times, stored once). */
export function formXObject(doc: PDFDocument, ops: string, width: number, height: number) {
  const stream = doc.context.stream(deflateSync(Buffer.from(ops, 'latin1')), {
    Type: 'XObject',
    Subtype: 'Form',
    BBox: [0, 0, width, height],
    Filter: 'FlateDecode',
  });
  return doc.context.register(stream);
}
