import type { Services } from '../platform/services.ts';
import type { SessionUser } from '../identity/sessionUser.ts';
import { errors } from '../platform/errors.ts';
import { hasPermission } from '../identity/roles.ts';
import { assertCanRead, StreamParams } from '../ledger/routes.ts';
import { verifyStream } from '../ledger/verify.ts';
import { renderPdf } from '../pdf/render.ts';
import { label } from '../pdf/templates.ts';
import { publicUrlOf, safeFilename, type ExportKind } from './kinds.ts';

// A record's audit trail: every ledger event of its stream (version, time, actor, type, reason,
// hash) and the result of checking the hash chain at the moment of export.
export const auditTrailExport: ExportKind = {
  async access(s, user, id) {
    if (!StreamParams.safeParse({ stream: id }).success)
      throw errors.validation('id', { en: 'a stream like lot:<id>', zh: '记录流格式应为 lot:<id>' });
    if (!hasPermission(user, 'ledger.read')) throw errors.forbidden('export this audit trail');
    await assertCanRead(s, user, id);
    if (!(await s.ledger.head(id))) throw errors.notFound('record');
  },
  async build(s: Services, user: SessionUser, stream: string, opts, progress) {
    if (!StreamParams.safeParse({ stream }).success)
      throw errors.validation('id', { en: 'a stream like lot:<id>', zh: '记录流格式应为 lot:<id>' });
    const events = await s.ledger.read(stream);
    if (!events.length) throw errors.notFound('record');
    progress(0.05, 'verify');
    const { findings } = verifyStream(stream, events);
    const head = events[events.length - 1];
    const { locale } = opts;
    const { pdf, pages } = await renderPdf({
      template: 'audit-trail',
      locale,
      data: {
        stream,
        head,
        count: events.length,
        ok: findings.length === 0,
        findings,
        events: events.map((e) => ({
          version: e.version,
          at: e.at,
          actor: e.actor.name,
          type: e.type,
          reason: e.reason ?? null,
          hash: e.hash,
        })),
      },
      title: `${label('audit.title', locale)} — ${stream}`,
      reference: `${stream} v${head.version}`,
      stream,
      headHash: head.hash,
      printedBy: user.fullName,
      signer: s.signer,
      publicUrl: publicUrlOf(s),
      onProgress: progress,
    });
    return {
      filename: safeFilename(`audit-trail-${stream.replace(':', '-')}.pdf`),
      pdf,
      recordStream: stream,
      recordVersion: head.version,
      headHash: head.hash,
      pages,
    };
  },
};
