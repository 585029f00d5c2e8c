import type { DhrView } from '../modules/production/dhr.view.ts';
import type { Signer } from '../../../signatures/signer.ts';
import { renderPdf } from './render.ts';
import { label, type Locale } from './templates.ts';

// The Device History Record export: templates/dhr.hbs over a DhrView, the label image, and the
// certificates of analysis of the consumed lots appended at the end, sealed last.
export interface DhrPdfOptions {
  locale: Locale;
  labelPng?: Uint8Array;
  attachments: Array<{ title: string; pdf: Uint8Array }>;
  signer: Signer;
  onProgress?: (p: number, stage: string) => void;
  /** Base URL of the verification page in the QR code (config PUBLIC_URL). */
  publicUrl?: string;
  /** Printed name of who asked for the export (footer). */
  printedBy?: string;
  now?: Date;
}

export const defaultPublicUrl = () => process.env.PUBLIC_URL || `http://localhost:${process.env.PORT || 3000}`;

export async function buildDhrPdf(view: DhrView, opts: DhrPdfOptions): Promise<{ pdf: Buffer; pages: number }> {
  const { locale } = opts;
  const { pdf, pages } = await renderPdf({
    template: 'dhr',
    locale,
    data: { ...view, hasLabel: !!opts.labelPng },
    title: `${label('dhr.title', locale)} — ${view.workOrder.number}`,
    reference: `${label('dhr.reference', locale, { number: view.workOrder.number, lot: view.lotNumber ?? '—' })} · ${view.device.partNumber} · ${view.ledger.stream} v${view.ledger.version}`,
    stream: view.ledger.stream,
    headHash: view.ledger.headHash,
    printedBy: opts.printedBy ?? 'Provenant',
    images: opts.labelPng ? { label: opts.labelPng } : {},
    attachments: opts.attachments,
    signer: opts.signer,
    publicUrl: opts.publicUrl ?? defaultPublicUrl(),
    now: opts.now,
    onProgress: opts.onProgress,
  });
  return { pdf, pages };
}
