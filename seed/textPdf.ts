import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { loadCjkBoldFontBytes, loadCjkFontBytes, pdfLibFontkit } from '../server/src/pdf/fonts.ts';

// The demo company's own PDFs (suppliers' certificates of analysis, controlled documents' content
// files): text pages with Noto Sans SC embedded as a subset, so the exports can merge their pages
// under PDF/A (ISO 19005-2, 6.2.11.4.1: every font embedded) instead of embedding the files.
// The font bytes are read and parsed once per process (fonts.ts); only the subset is written,
// so a page of bilingual text stays a few tens of kB.

export interface Block {
  text: string;
  size?: number;
  bold?: boolean;
  /** points of space above the block */
  gap?: number;
  indent?: number;
  grey?: boolean;
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;
const CJK = '\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef'; // CJK ideographs, punctuation and full-width forms
// one CJK character (with the punctuation that must not start a line), a Latin word with its trailing space, or spaces
const TOKENS = new RegExp(`[${CJK}][,。;:、)」]?|[^\\s${CJK}]+\\s*|\\s+`, 'g');

/** Lines of `text` no wider than `width`: Latin words stay whole, CJK text breaks between characters. */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const tokens = text.match(TOKENS) ?? [];
  const lines: string[] = [];
  let line = '';
  let w = 0; // the line's width as the sum of its tokens' (shaping each token once; kerning between them is noise)
  const widthOf = (t: string) => font.widthOfTextAtSize(t, size);
  for (const tok of tokens) {
    const tw = widthOf(tok);
    if (line && w + widthOf(tok.trimEnd()) > width) {
      lines.push(line.trimEnd());
      line = tok.trimStart();
      w = widthOf(line);
    } else {
      line += tok;
      w += tw;
    }
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines.length ? lines : [''];
}

/**
 * A4 pages of text blocks with Noto Sans SC embedded (regular and, if used, bold) and a footer on
 * every page ("<footer> · Page n of m / 第 n 页 共 m 页"). Deterministic metadata: the same
 * content gives the same pages.
 */
export async function textPdf(
  blocks: Block[],
  meta: { title: string; author: string; footer: string; date: Date },
): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(pdfLibFontkit);
  const regular = await doc.embedFont(await loadCjkFontBytes(), { subset: true });
  const bold = blocks.some((b) => b.bold)
    ? await doc.embedFont(await loadCjkBoldFontBytes(), { subset: true })
    : regular;
  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  doc.setAuthor(meta.author);
  doc.setProducer('Provenant demo seed');
  doc.setCreationDate(meta.date);
  doc.setModificationDate(meta.date);
  const pages: PDFPage[] = [];
  let page: PDFPage | undefined;
  let y = 0;
  const newPage = () => {
    page = doc.addPage(A4);
    pages.push(page);
    y = A4[1] - MARGIN;
  };
  for (const b of blocks) {
    const size = b.size ?? 10;
    const font = b.bold ? bold : regular;
    const x = MARGIN + (b.indent ?? 0);
    const lead = size * 1.45;
    y -= b.gap ?? 0;
    for (const text of wrap(b.text, font, size, A4[0] - MARGIN - x)) {
      if (!page || y - lead < MARGIN + 24) newPage();
      y -= lead;
      if (text) page!.drawText(text, { x, y, size, font, color: b.grey ? rgb(0.35, 0.35, 0.35) : rgb(0.1, 0.1, 0.1) });
    }
  }
  if (!page) newPage();
  pages.forEach((p, i) => {
    const text = `${meta.footer} · Page ${i + 1} of ${pages.length} / 第 ${i + 1} 页 共 ${pages.length} 页`;
    p.drawText(text, { x: MARGIN, y: MARGIN - 8, size: 7.5, font: regular, color: rgb(0.4, 0.4, 0.4) });
  });
  return Buffer.from(await doc.save());
}
