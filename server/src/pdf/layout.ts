import { type PDFDocument, type PDFFont, type PDFImage, type PDFPage, type RGB } from 'pdf-lib';
import { childrenTagged, textOf, MarkupError, type Node } from './markup.ts';
import { textWidth, wrapText } from './text.ts';
import { drawTable } from './table.ts';
import { Canvas } from './canvas.ts';
import { A4, MARGIN, COLORS, lineHeight, type Fonts } from './page.ts';

// Flows the markup tree onto A4 pages. The header and footer bands are left free here and drawn
// by decorate.ts once the page count is known ("page X of Y").
const STYLE = {
  h1: { size: 16, before: 10, after: 8 },
  h2: { size: 12, before: 12, after: 6 },
  h3: { size: 10, before: 8, after: 4 },
};

export class Flow {
  readonly pages: PDFPage[] = [];
  page!: PDFPage;
  canvas!: Canvas;
  y = 0;
  readonly left = MARGIN.left;
  readonly width = A4.width - MARGIN.left - MARGIN.right;

  constructor(
    readonly doc: PDFDocument,
    readonly fonts: Fonts,
    readonly images: Map<string, PDFImage>,
  ) {
    this.newPage();
  }

  newPage() {
    this.canvas?.flush(); // a finished page's operators go into the file now (less to keep in memory)
    this.page = this.doc.addPage([A4.width, A4.height]);
    this.pages.push(this.page);
    this.canvas = new Canvas(this.page, this.doc);
    this.y = A4.height - MARGIN.top;
  }

  /** Starts a new page unless `h` points still fit; true when it did. */
  ensure(h: number): boolean {
    if (this.y - h >= MARGIN.bottom || this.y === A4.height - MARGIN.top) return false;
    this.newPage();
    return true;
  }

  text(s: string, x: number, y: number, size: number, font: PDFFont = this.fonts.regular, color: RGB = COLORS.text) {
    this.canvas.text(s, x, y, size, font, color);
  }

  /** Wrapped lines that may continue on the next page. */
  lines(s: string, opts: { size: number; font?: PDFFont; color?: RGB; indent?: number; width?: number }) {
    const font = opts.font ?? this.fonts.regular,
      lh = lineHeight(opts.size);
    for (const line of wrapText(font, s, opts.size, (opts.width ?? this.width) - (opts.indent ?? 0))) {
      this.ensure(lh);
      this.y -= lh;
      this.text(line, this.left + (opts.indent ?? 0), this.y + lh * 0.25, opts.size, font, opts.color);
    }
  }

  render(root: Node) {
    for (const c of root.children) if (typeof c !== 'string') this.block(c);
    this.canvas.flush();
  }

  block(n: Node) {
    switch (n.tag) {
      case 'h1':
      case 'h2':
      case 'h3':
        return this.heading(n);
      case 'p':
        return this.paragraph(n);
      case 'kv':
        return this.keyValues(n);
      case 'table':
        return drawTable(this, n);
      case 'img':
        return this.image(n);
      case 'sig':
        return this.signature(n);
      case 'stamp':
        return this.stamp(n);
      case 'note':
        return this.note(n);
      case 'spacer':
        this.y -= Number(n.attrs.h ?? 8);
        return;
      case 'pagebreak':
        if (this.y !== A4.height - MARGIN.top) this.newPage();
        return;
      default:
        throw new MarkupError(`<${n.tag}> cannot stand at the top level`);
    }
  }

  private heading(n: Node) {
    const st = STYLE[n.tag as keyof typeof STYLE];
    const text = textOf(n);
    this.ensure(st.before + lineHeight(st.size) * 3); // keep a heading with what follows
    if (this.y !== A4.height - MARGIN.top) this.y -= st.before;
    this.lines(text, { size: st.size, font: this.fonts.bold });
    if (n.tag === 'h2') this.canvas.line(this.left, this.y - 2, this.left + this.width, this.y - 2, 0.6, COLORS.rule);
    this.y -= st.after;
  }

  private paragraph(n: Node) {
    const style = n.attrs.style ?? '';
    const size = style.includes('small') ? 7.5 : 9;
    this.lines(textOf(n), {
      size,
      font: style.includes('bold') ? this.fonts.bold : this.fonts.regular,
      color: style.includes('muted') ? COLORS.muted : COLORS.text,
    });
    this.y -= 4;
  }

  private keyValues(n: Node) {
    const ks = childrenTagged(n, 'k'),
      vs = childrenTagged(n, 'v');
    const cols = n.attrs.cols === '2' ? 2 : 1,
      size = 9,
      lh = lineHeight(size);
    const colW = this.width / cols,
      labelW = Math.min(108, colW * 0.42); // same label column in 1- and 2-column grids
    for (let i = 0; i < ks.length; i += cols) {
      const cells = Array.from({ length: cols }, (_, j) =>
        ks[i + j]
          ? {
              k: wrapText(this.fonts.bold, textOf(ks[i + j]), size, labelW - 6),
              v: wrapText(this.fonts.regular, textOf(vs[i + j] ?? ''), size, colW - labelW - 8),
            }
          : null,
      );
      const rows = Math.max(...cells.map((c) => (c ? Math.max(c.k.length, c.v.length) : 0)));
      this.ensure(rows * lh + 2);
      cells.forEach((c, j) => {
        if (!c) return;
        const x = this.left + j * colW;
        c.k.forEach((l, r) => this.text(l, x, this.y - (r + 1) * lh + lh * 0.25, size, this.fonts.bold, COLORS.muted));
        c.v.forEach((l, r) => this.text(l, x + labelW, this.y - (r + 1) * lh + lh * 0.25, size));
      });
      this.y -= rows * lh + 2;
    }
    this.y -= 4;
  }

  private image(n: Node) {
    const img = this.images.get(n.attrs.src ?? '');
    if (!img) return this.lines(`[${n.attrs.alt ?? n.attrs.src ?? 'image'}]`, { size: 9, color: COLORS.muted });
    const w = Math.min(Number(n.attrs.width ?? img.width), this.width),
      h = (img.height / img.width) * w;
    this.ensure(h + 6);
    this.y -= h + 4;
    this.canvas.image(img, this.left, this.y, w, h);
    this.canvas.strokeRect(this.left, this.y, w, h, 0.5, COLORS.rule);
    this.y -= 6;
  }

  /** A signature manifestation line: a short rule, then who, what and when. */
  private signature(n: Node) {
    const size = 8.5,
      lines = wrapText(this.fonts.regular, textOf(n), size, this.width - 16);
    const h = lines.length * lineHeight(size) + 8;
    this.ensure(h);
    this.canvas.fillRect(this.left, this.y - h + 3, 2, h - 4, n.attrs.valid === 'false' ? COLORS.bad : COLORS.good);
    lines.forEach((l, i) => this.text(l, this.left + 8, this.y - (i + 1) * lineHeight(size) + 2, size));
    this.y -= h;
  }

  private stamp(n: Node) {
    const size = Number(n.attrs.size ?? 18),
      text = textOf(n);
    const w = textWidth(this.fonts.bold, text, size) + 24,
      h = size + 16;
    this.ensure(h + 8);
    const x = n.attrs.align === 'left' ? this.left : this.left + (this.width - w) / 2;
    this.y -= h + 4;
    this.canvas.strokeRect(x, this.y, w, h, 2, COLORS.stamp);
    this.text(text, x + 12, this.y + 9 + size * 0.12, size, this.fonts.bold, COLORS.stamp);
    this.y -= 8;
  }

  private note(n: Node) {
    const size = 8.5,
      lh = lineHeight(size);
    const lines = wrapText(this.fonts.regular, textOf(n), size, this.width - 16);
    const h = lines.length * lh + 10;
    this.ensure(Math.min(h, 200));
    this.canvas.fillRect(
      this.left,
      Math.max(this.y - h, MARGIN.bottom),
      this.width,
      Math.min(h, this.y - MARGIN.bottom),
      COLORS.fill,
    );
    this.y -= 5;
    for (const l of lines) {
      this.ensure(lh);
      this.y -= lh;
      this.text(l, this.left + 8, this.y + lh * 0.25, size);
    }
    this.y -= 11;
  }
}
