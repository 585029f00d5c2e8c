import { createHash } from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import type { Node } from './markup.ts';
import { archivalObstacles, type Obstacle } from './archivalCheck.ts';
import { label, type Locale } from './templates.ts';

// The PDFs attached to an export (certificates of analysis, a document revision's content file):
// each is read, checked for what would break PDF/A (archivalCheck.ts), and then either merged as
// pages or embedded byte for byte behind a reference page. The index in the body says which.
export interface Attachment {
  title: string;
  pdf: Uint8Array;
  sha256: string;
  fileName: string;
  src: PDFDocument | null;
  merged: boolean;
  obstacles: Obstacle[];
}

export async function readAttachment(a: { title: string; pdf: Uint8Array }, i: number): Promise<Attachment> {
  const sha256 = createHash('sha256').update(a.pdf).digest('hex');
  // numbered names keep the EmbeddedFiles name tree in key order (ISO 32000-1, 7.9.6)
  const fileName = `${String(i + 1).padStart(2, '0')}-${a.title.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80)}.pdf`;
  let src: PDFDocument | null = null;
  try {
    src = await PDFDocument.load(a.pdf, { updateMetadata: false });
  } catch {
    /* embedded as received, listed as unreadable */
  }
  const obstacles = src ? archivalObstacles(src) : [];
  return { ...a, sha256, fileName, src, merged: !!src && obstacles.length === 0, obstacles };
}

const el = (tag: string, text: string, attrs: Record<string, string> = {}): Node => ({ tag, attrs, children: [text] });

function inclusion(a: Attachment, locale: Locale): string {
  if (a.merged) return label('pdf.attachmentMerged', locale, { n: a.src!.getPageCount() });
  return label('pdf.attachmentEmbedded', locale);
}

function reasons(a: Attachment, locale: Locale): string {
  if (!a.src) return label('pdf.attachmentUnreadable', locale);
  return a.obstacles
    .slice(0, 6)
    .map((o) => label(`pdf.obstacle.${o.code}`, locale, { detail: o.detail }))
    .join('; ');
}

export function attachmentIndex(list: Attachment[], locale: Locale): Node[] {
  const rows: Node[] = [
    {
      tag: 'tr',
      attrs: { head: '' },
      children: [
        el('td', label('pdf.attachment', locale)),
        el('td', label('pdf.attachmentIncluded', locale)),
        el('td', 'SHA-256'),
      ],
    },
  ];
  for (const a of list)
    rows.push({
      tag: 'tr',
      attrs: {},
      children: [
        el('td', a.title),
        el('td', inclusion(a, locale), a.merged ? {} : { status: 'bad' }),
        el('td', a.sha256),
      ],
    });
  return [
    el('h2', label('pdf.attachments', locale)),
    { tag: 'table', attrs: { widths: '4,2,5', size: '7.5' }, children: rows },
  ];
}

/** Stands in for an attachment whose pages cannot be merged into an archival PDF: what it is and where to find it. */
export function referencePage(a: Attachment, locale: Locale): Node[] {
  const kv: Node = {
    tag: 'kv',
    attrs: {},
    children: [
      el('k', label('pdf.attachmentFile', locale)),
      el('v', a.fileName),
      el('k', 'SHA-256'),
      el('v', a.sha256),
      el('k', label('pdf.attachmentSize', locale)),
      el('v', `${a.pdf.length} B`),
      el('k', label('pdf.attachmentPages', locale)),
      el('v', a.src ? String(a.src.getPageCount()) : '—'),
      el('k', label('pdf.attachmentWhy', locale)),
      el('v', reasons(a, locale)),
    ],
  };
  return [
    { tag: 'pagebreak', attrs: {}, children: [] },
    el('h2', `${label('pdf.attachment', locale)}: ${a.title}`),
    kv,
    { tag: 'spacer', attrs: { h: '8' }, children: [] },
    el('note', label('pdf.attachmentHowToOpen', locale)),
  ];
}
