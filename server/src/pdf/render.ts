import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { PDFDocument, type PDFImage } from 'pdf-lib';
import type { Signer } from '../../../signatures/signer.ts';
import { loadCjkBoldFontBytes, loadCjkFontBytes, pdfLibFontkit } from './fonts.ts';
import { parseMarkup, type Node } from './markup.ts';
import { Flow } from './layout.ts';
import { decoratePages } from './decorate.ts';
import { addSealPlaceholder, sealPdf } from './seal.ts';
import { label, renderTemplate, type Locale } from './templates.ts';

// One export, start to finish: template → markup → pages → appended PDFs → header/footer → seal.
export interface RenderInput {
  template: string; data: object; locale: Locale;
  title: string; reference: string; stream: string; headHash: string; printedBy: string;
  images?: Record<string, Uint8Array>;
  attachments?: Array<{ title: string; pdf: Uint8Array }>;
  signer: Signer; publicUrl: string; now?: Date;
  onProgress?: (p: number, stage: string) => void;
}
export interface Rendered { pdf: Buffer; pages: number; markup: string }

export const verifyUrl = (publicUrl: string, stream: string) => `${publicUrl.replace(/\/+$/, '')}/verify/${encodeURI(stream)}`;

export async function renderPdf(input: RenderInput): Promise<Rendered> {
  const progress = input.onProgress ?? (() => {});
  const now = input.now ?? new Date();
  const { locale } = input;
  progress(0.05, 'template');
  const markup = renderTemplate(input.template, { ...input.data, locale });
  const tree = parseMarkup(markup);

  const doc = await PDFDocument.create();
  nativeDeflate(doc);
  doc.registerFontkit(pdfLibFontkit);
  const [regular, bold] = await Promise.all([loadCjkFontBytes(), loadCjkBoldFontBytes()]);
  const fonts = { regular: await doc.embedFont(regular, { subset: true }), bold: await doc.embedFont(bold, { subset: true }) };
  const images = new Map<string, PDFImage>();
  for (const [name, png] of Object.entries(input.images ?? {})) {
    try { images.set(name, await doc.embedPng(png)); } catch { /* drawn as a placeholder: "[name]" */ }
  }

  // attachments are read first so that the index in the body can say what was appended
  const attachments = await Promise.all((input.attachments ?? []).map(async (a) => {
    const sha256 = createHash('sha256').update(a.pdf).digest('hex');
    try { return { ...a, sha256, src: await PDFDocument.load(a.pdf, { updateMetadata: false }) }; } catch { return { ...a, sha256, src: null }; }
  }));
  if (attachments.length) tree.children.push(...attachmentIndex(attachments, locale));

  progress(0.15, 'layout');
  const flow = new Flow(doc, fonts, images);
  flow.render(tree);
  const flowPages = new Set(flow.pages);

  progress(0.6, 'attachments');
  for (const a of attachments) {
    if (!a.src) continue;
    for (const p of await doc.copyPages(a.src, a.src.getPageIndices())) doc.addPage(p);
  }

  progress(0.7, 'decorate');
  const pages = doc.getPages();
  decoratePages(doc, pages, flowPages, fonts, {
    title: input.title, reference: input.reference, headHash: input.headHash, verifyUrl: verifyUrl(input.publicUrl, input.stream),
    pageOf: (x, y) => label('pdf.pageOf', locale, { x, y }), headLabel: label('pdf.ledgerHead', locale),
    generatedLine: label('pdf.generated', locale, { at: now.toISOString().slice(0, 19).replace('T', ' ') + ' UTC', by: input.printedBy, url: verifyUrl(input.publicUrl, input.stream) }),
  });
  doc.setTitle(input.title);
  doc.setSubject(input.reference);
  doc.setProducer('Provenant');
  doc.setCreator('Provenant');
  doc.setCreationDate(now);
  doc.setModificationDate(now);

  progress(0.8, 'seal');
  addSealPlaceholder(doc, { reason: label('pdf.sealReason', 'en-US'), name: 'Provenant Records Seal', signingTime: now });
  const saved = await doc.save({ useObjectStreams: false });
  const pdf = sealPdf(saved, input.signer, now);
  progress(1, 'done');
  return { pdf, pages: pages.length, markup };
}

/**
 * pdf-lib compresses font subsets, CMaps and images with pako (JavaScript); node's zlib gives
 * the same FlateDecode bytes' format at a fraction of the CPU.
 */
function nativeDeflate(doc: PDFDocument) {
  const ctx = doc.context;
  ctx.flateStream = (contents, dict = {}) => {
    const bytes = typeof contents === 'string' ? Buffer.from(contents, 'latin1') : contents;
    return ctx.stream(deflateSync(bytes), { ...dict, Filter: 'FlateDecode' });
  };
}

function attachmentIndex(list: Array<{ title: string; sha256: string; src: PDFDocument | null }>, locale: Locale): Node[] {
  const el = (tag: string, text: string, attrs: Record<string, string> = {}): Node => ({ tag, attrs, children: [text] });
  const rows: Node[] = [{ tag: 'tr', attrs: { head: '' }, children: [el('td', label('pdf.attachment', locale)), el('td', label('pdf.attachmentPages', locale)), el('td', 'SHA-256')] }];
  for (const a of list) {
    rows.push({ tag: 'tr', attrs: {}, children: [el('td', a.title), a.src ? el('td', String(a.src.getPageCount())) : el('td', label('pdf.attachmentUnreadable', locale), { status: 'bad' }), el('td', a.sha256)] });
  }
  return [el('h2', label('pdf.attachments', locale)), { tag: 'table', attrs: { widths: '4,2,5', size: '7.5' }, children: rows }];
}
