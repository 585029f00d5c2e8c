import type { Services } from '../platform/services.ts';
import type { SessionUser } from '../identity/sessionUser.ts';
import { errors } from '../platform/errors.ts';
import { signaturesOf, verifySignature } from '../records/signing.ts';
import { manifestationOf } from '../../../signatures/manifestation.ts';
import { renderPdf } from '../pdf/render.ts';
import type { Locale } from '../pdf/templates.ts';
import { publicUrlOf, safeFilename, type ExportResult, type Progress } from './kinds.ts';

// The sealed PDF of a quality record (NC, CAPA, complaint) and of a complaint's regulatory report,
// laid out by the caller as titled sections of label/value fields and tables (templates/
// quality-record.hbs), followed by the record's signatures as 21 CFR 11.50 manifestations
// (printed name, meaning, date and time; each verified) and its history (every ledger event of
// the stream). Labels are chosen by the caller in the export's language; an empty value is
// printed empty, never filled in.
export interface Field {
  label: string;
  value: string;
}
export interface Section {
  title: string;
  note?: string;
  fields?: Field[];
  table?: { widths: string; head: string[]; rows: string[][] };
}
export interface RecordPdf {
  stream: string;
  heading: string;
  subtitle?: string;
  notes?: string[];
  sections: Section[];
  reference: string;
  filename: string;
  /** false for a regulator's form: it carries the form's fields only (the signatures are on the record's export). */
  signaturesAndHistory?: boolean;
}

/** Picks the export language's string: tr(locale)('English', '中文'). */
export const tr =
  (locale: Locale) =>
  (en: string, zh: string): string =>
    locale === 'zh-CN' ? zh : en;
/** A value as printed: null, undefined and '' are empty. */
export const val = (v: unknown): string =>
  v === null || v === undefined ? '' : Array.isArray(v) ? v.map(val).join(', ') : String(v);
export const bi = (locale: Locale, b: { zh?: string; en?: string } | null | undefined) =>
  b ? ((locale === 'zh-CN' ? b.zh || b.en : b.en || b.zh) ?? '') : '';

export async function renderRecordPdf(
  s: Services,
  user: SessionUser,
  locale: Locale,
  r: RecordPdf,
  progress: Progress,
): Promise<ExportResult> {
  const t = tr(locale);
  const events = await s.ledger.read(r.stream);
  if (!events.length) throw errors.notFound('record');
  const head = events[events.length - 1];
  const full = r.signaturesAndHistory !== false;
  progress(0.05, 'content');
  const signatures = full
    ? await Promise.all(
        (await signaturesOf(s, r.stream, events)).map(async (e) => ({
          manifestation: manifestationOf(e.data, locale),
          valid: (await verifySignature(s, e)).valid,
        })),
      )
    : [];
  const history = full
    ? events.map((e) => ({ version: e.version, at: e.at, actor: e.actor.name, type: e.type, reason: e.reason ?? null }))
    : [];
  const { pdf, pages } = await renderPdf({
    template: 'quality-record',
    locale,
    data: {
      heading: r.heading,
      subtitle: r.subtitle ?? '',
      notes: r.notes ?? [],
      sections: r.sections,
      showSignatures: full,
      signatures,
      showHistory: full,
      history,
      labels: {
        signatures: t('Signatures (21 CFR 11.50)', '电子签名(21 CFR 11.50)'),
        noSignatures: t('No signatures.', '无签名。'),
        invalid: t('SIGNATURE DOES NOT VERIFY', '签名验证未通过'),
        history: t('History (audit trail)', '历史记录(审计追踪)'),
        version: t('Ver.', '版本'),
        at: t('Time', '时间'),
        actor: t('By', '操作人'),
        type: t('Event', '事件'),
        reason: t('Reason', '原因'),
        none: t('None.', '无。'),
        validity: t(
          'This PDF is sealed; its SHA-256 is on the ledger. Verify it at the address in the QR code.',
          '本 PDF 已加盖电子封印,其 SHA-256 记录在账本上。可通过二维码中的地址验证。',
        ),
      },
    },
    title: r.heading,
    reference: `${r.reference} · ${r.stream} v${head.version}`,
    stream: r.stream,
    headHash: head.hash,
    printedBy: user.fullName,
    signer: s.signer,
    publicUrl: publicUrlOf(s),
    onProgress: progress,
  });
  return {
    filename: safeFilename(r.filename),
    pdf,
    recordStream: r.stream,
    recordVersion: head.version,
    headHash: head.hash,
    pages,
  };
}
