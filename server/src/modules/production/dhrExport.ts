import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { errors } from '../../platform/errors.ts';
import { hasPermission } from '../../identity/roles.ts';
import { getBlob } from '../documents/contentStore.ts';
import { certificateSha } from '../purchasing/certificates.ts';
import { buildDhrPdf } from '../../pdf/dhr.ts';
import { publicUrlOf, safeFilename, type ExportKind } from '../../exports/kinds.ts';
import { buildDhrView } from './dhr.ts';
import { sampleLabelPng } from './labels.ts';
import { getWorkOrder } from './service.ts';
import type { DhrView } from './dhr.view.ts';

// The DHR as a sealed PDF (export kind 'dhr'): the DhrView, a sample of the printed label, and
// the certificates of analysis of the consumed lots, merged in issue order. A CoA is merged when
// the lot's coaRef names a stored PDF (`sha256:<hex>`); a free-text reference is printed only.

async function certificates(s: Services, view: DhrView) {
  const seen = new Set<string>();
  const out: Array<{ title: string; pdf: Uint8Array }> = [];
  for (const m of view.materials) {
    const hex = certificateSha(m.coaRef);
    if (!hex || seen.has(m.lotId)) continue;
    seen.add(m.lotId);
    const pdf = await getBlob(s, hex).catch(() => null);
    if (pdf)
      out.push({ title: `CoA ${m.partNumber} · ${m.lotNumber}${m.supplierLot ? ` · ${m.supplierLot}` : ''}`, pdf });
  }
  return out;
}

export const dhrExport: ExportKind = {
  async access(s: Services, user: SessionUser, id: string) {
    if (!hasPermission(user, 'records.read')) throw errors.forbidden('export this DHR');
    await getWorkOrder(s, id);
  },
  async build(s, user, id, opts, progress) {
    progress(0.02, 'collecting');
    const view = await buildDhrView(s, id, opts.locale);
    const labelPng = view.labels.printed > 0 ? await sampleLabelPng(s, id).catch(() => undefined) : undefined;
    const attachments = await certificates(s, view);
    progress(0.15, 'rendering');
    const { pdf, pages } = await buildDhrPdf(view, {
      locale: opts.locale,
      labelPng,
      attachments,
      signer: s.signer,
      publicUrl: publicUrlOf(s),
      printedBy: user.fullName,
      onProgress: (p, stage) => progress(0.15 + 0.85 * p, stage),
    });
    return {
      filename: safeFilename(`DHR_${view.workOrder.number}_${view.lotNumber ?? ''}.pdf`),
      pdf,
      recordStream: view.ledger.stream,
      recordVersion: view.ledger.version,
      headHash: view.ledger.headHash,
      pages,
    };
  },
};
