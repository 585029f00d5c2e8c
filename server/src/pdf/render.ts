import { deflateSync } from 'node:zlib';
import { AFRelationship, PDFDocument, type PDFImage } from 'pdf-lib';
import type { Signer } from '../../../signatures/signer.ts';
import { loadCjkBoldFontBytes, loadCjkFontBytes, pdfLibFontkit } from './fonts.ts';
import { parseMarkup } from './markup.ts';
import { Flow } from './layout.ts';
import { decoratePages } from './decorate.ts';
import { sealDocument } from './seal.ts';
import { makeArchival } from './pdfa.ts';
import { stripForArchive } from './archivalCheck.ts';
import { attachmentIndex, readAttachment, referencePage } from './attachments.ts';
import { label, renderTemplate, type Locale } from './templates.ts';
import { now as clockNow } from '../platform/clock.ts';

// One export, start to finish: template → markup → pages → appended PDFs → header/footer → seal.
export interface RenderInput {
  template: string;
  data: object;
  locale: Locale;
  title: string;
  reference: string;
  stream: string;
  headHash: string;
  printedBy: string;
  images?: Record<string, Uint8Array>;
  attachments?: Array<{ title: string; pdf: Uint8Array }>;
  signer: Signer;
  publicUrl: string;
  now?: Date;
  onProgress?: (p: number, stage: string) => void;
}
export interface Rendered {
  pdf: Buffer;
  pages: number;
  markup: string;
}

export const verifyUrl = (publicUrl: string, stream: string) =>
  `${publicUrl.replace(/\/+$/, '')}/verify/${encodeURI(stream)}`;

export async function renderPdf(input: RenderInput): Promise<Rendered> {
  const progress = input.onProgress ?? (() => {});
  const now = input.now ?? clockNow();
  const { locale } = input;
  progress(0.05, 'template');
  const markup = renderTemplate(input.template, { ...input.data, locale });
  const tree = parseMarkup(markup);

  const doc = await PDFDocument.create();
  nativeDeflate(doc);
  doc.registerFontkit(pdfLibFontkit);
  const [regular, bold] = await Promise.all([loadCjkFontBytes(), loadCjkBoldFontBytes()]);
  const fonts = {
    regular: await doc.embedFont(regular, { subset: true }),
    bold: await doc.embedFont(bold, { subset: true }),
  };
  const images = new Map<string, PDFImage>();
  for (const [name, png] of Object.entries(input.images ?? {})) {
    try {
      images.set(name, await doc.embedPng(png));
    } catch {
      /* drawn as a placeholder: "[name]" */
    }
  }

  // attachments are read first so that the index in the body can say how each one is included
  const attachments = await Promise.all((input.attachments ?? []).map(async (a, i) => readAttachment(a, i)));
  if (attachments.length) tree.children.push(...attachmentIndex(attachments, locale));
  for (const a of attachments) if (!a.merged) tree.children.push(...referencePage(a, locale));

  progress(0.15, 'layout');
  const flow = new Flow(doc, fonts, images);
  flow.render(tree);
  const flowPages = new Set(flow.pages);

  progress(0.6, 'attachments');
  for (const a of attachments) {
    if (a.merged && a.src) {
      for (const p of await doc.copyPages(a.src, a.src.getPageIndices())) {
        stripForArchive(p);
        doc.addPage(p);
      }
    } else {
      // the exact bytes received, as an associated file of the export (PDF/A-3, 6.8)
      await doc.attach(a.pdf, a.fileName, {
        mimeType: 'application/pdf',
        description: a.title,
        creationDate: now,
        modificationDate: now,
        afRelationship: AFRelationship.Source,
      });
    }
  }

  progress(0.7, 'decorate');
  const pages = doc.getPages();
  decoratePages(doc, pages, flowPages, fonts, {
    title: input.title,
    reference: input.reference,
    headHash: input.headHash,
    verifyUrl: verifyUrl(input.publicUrl, input.stream),
    pageOf: (x, y) => label('pdf.pageOf', locale, { x, y }),
    headLabel: label('pdf.ledgerHead', locale),
    generatedLine: label('pdf.generated', locale, {
      at: now.toISOString().slice(0, 19).replace('T', ' ') + ' UTC',
      by: input.printedBy,
      url: verifyUrl(input.publicUrl, input.stream),
    }),
  });
  makeArchival(doc, {
    title: input.title,
    subject: input.reference,
    now,
    part: attachments.some((a) => !a.merged) ? 3 : 2,
    idSeed: `${input.stream}\n${input.headHash}`,
  });

  progress(0.8, 'seal');
  const pdf = await sealDocument(doc, input.signer, {
    reason: label('pdf.sealReason', 'en-US'),
    name: 'Provenant Records Seal',
    signingTime: now,
  });
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
