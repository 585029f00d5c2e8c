import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { errors } from '../../platform/errors.ts';
import { hasPermission } from '../../identity/roles.ts';
import { getDocument } from './queries.ts';
import { getBlob } from './contentStore.ts';
import { latest, revisionOf } from './document.record.ts';
import { signaturesOf, verifySignature } from '../../records/signing.ts';
import { manifestation } from '../../../../signatures/manifestation.ts';
import { renderPdf } from '../../pdf/render.ts';
import { label } from '../../pdf/templates.ts';
import { publicUrlOf, safeFilename, type ExportKind } from '../../exports/kinds.ts';
import { now as clockNow } from '../../platform/clock.ts';

// A controlled copy of one revision of a document: a cover sheet (number, title, revision,
// effective date, every review and approval with its 11.50 manifestation, the CONTROLLED COPY
// stamp, who printed it and when), then the revision's own pages when its content is a PDF.
export const documentExport: ExportKind = {
  async access(s, user, id, opts) {
    if (!hasPermission(user, 'documents.read')) throw errors.forbidden('export this document');
    const d = await getDocument(s, id);
    if (opts?.revision && !revisionOf(d, opts.revision)) throw errors.notFound('revision');
  },
  async build(s: Services, user: SessionUser, id: string, opts, progress) {
    const d = await getDocument(s, id);
    const rev = opts.revision ? revisionOf(d, opts.revision) : (revisionOf(d, d.effective) ?? latest(d));
    if (!rev) throw errors.notFound('revision');
    const { locale } = opts;
    const stream = `document:${d._id}`;
    const events = await s.ledger.read(stream);
    const head = events[events.length - 1];
    const sigEvents = new Map((await signaturesOf(s, stream, events)).map((e) => [e.data.signatureId, e]));
    const approvals = await Promise.all(
      [...rev.reviews, ...rev.approvals]
        .sort((a, b) => a.at.localeCompare(b.at))
        .map(async (x) => {
          const e = sigEvents.get(x.signatureId);
          const valid = e ? (await verifySignature(s, e)).valid : false;
          return {
            manifestation: x.signedBy
              ? manifestation(x.signedBy.name, x.decision, x.at, locale, x.name)
              : manifestation(x.name, x.decision, x.at, locale),
            reason: x.reason ?? null,
            valid,
          };
        }),
    );
    const file = rev.file;
    const isPdf = !!file && (file.mime === 'application/pdf' || file.name.toLowerCase().endsWith('.pdf'));
    const attachments = isPdf
      ? [{ title: `${d.number} ${rev.revision} — ${file.name}`, pdf: await getBlob(s, file.sha256) }]
      : [];
    progress(0.05, 'content');
    const now = clockNow();
    const { pdf, pages } = await renderPdf({
      template: 'document',
      locale,
      data: { doc: d, rev, approvals, printedBy: user.fullName, printedAt: now.toISOString(), isPdf, file },
      title: `${label('doc.title', locale)} — ${d.number} ${locale === 'zh-CN' ? d.title.zh || d.title.en : d.title.en || d.title.zh}`,
      reference: `${d.number} · ${label('doc.revision', locale)} ${rev.revision} · ${stream} v${head.version}`,
      stream,
      headHash: head.hash,
      printedBy: user.fullName,
      attachments,
      signer: s.signer,
      publicUrl: publicUrlOf(s),
      now,
      onProgress: progress,
    });
    return {
      filename: safeFilename(`${d.number}-${rev.revision}-controlled-copy.pdf`),
      pdf,
      recordStream: stream,
      recordVersion: head.version,
      headHash: head.hash,
      pages,
    };
  },
};
