import type { Locale } from '../../../pdf/templates.ts';
import type { Field, Section } from '../../../exports/recordExport.ts';
import type { ComplaintDoc } from '../complaint.record.ts';
import type { ReportabilityDoc } from '../../reporting/reportability.record.ts';
import { IMDRF_CODES, type ImdrfAnnex } from '../imdrfCodes.ts';

// What a regulator's form is filled from: the complaint (its 820.35(a) record, UDI, IMDRF codes,
// investigation), the reportability decision of the form's jurisdiction (facts, decision, rule,
// submission), and the day of printing. A field the product does not hold (patient, manufacturer's
// registration, …) is printed empty: a report is never filled with invented values.
export interface ReportContext {
  c: ComplaintDoc;
  decision: ReportabilityDoc | null;
  locale: Locale;
  today: string;
}
export interface ReportForm {
  jurisdiction: string;
  title: { en: string; zh: string };
  /** Where the form's sections and their order were taken from. */
  source: { en: string; zh: string };
  sections(x: ReportContext): Section[];
}

export const pick = (locale: Locale, b: { en: string; zh: string }) => (locale === 'zh-CN' ? b.zh : b.en);
/** A form field: its number and label as on the form (in the export's language), and its value. */
export const f = (x: ReportContext, no: string, en: string, zh: string, value: string | null | undefined): Field => ({
  label: `${no} ${x.locale === 'zh-CN' ? zh : en}`.trim(),
  value: value ?? '',
});
export const section = (x: ReportContext, en: string, zh: string, fields: Field[], note?: string): Section => ({
  title: x.locale === 'zh-CN' ? zh : en,
  fields,
  ...(note ? { note } : {}),
});

/** "A0201 Product Quality Problem; …" for the codes the complaint names, terms in the export's language. */
export function terms(x: ReportContext, annex: ImdrfAnnex, codes: readonly string[] | null | undefined): string {
  return (codes ?? [])
    .map((code) => {
      const row = IMDRF_CODES.find((r) => r.annex === annex && r.code === code);
      return row ? `${code} ${x.locale === 'zh-CN' ? row.zh : row.en}` : code;
    })
    .join('; ');
}
export const investigationCodes = (x: ReportContext, annex: 'B' | 'C' | 'D' | 'G') =>
  terms(
    x,
    annex,
    annex === 'G' ? [...x.c.codes.G, ...(x.c.investigation?.codes?.G ?? [])] : x.c.investigation?.codes?.[annex],
  );

/** The decision's facts, when it has been decided "reportable" or later (a proposal is not a decision). */
export const facts = (x: ReportContext) => (x.decision?.decision ? x.decision.facts : null);
export const yesNo = (x: ReportContext, v: string | boolean | null | undefined) => {
  if (v === true || v === 'yes') return x.locale === 'zh-CN' ? '是' : 'Yes';
  if (v === false || v === 'no') return x.locale === 'zh-CN' ? '否' : 'No';
  if (v === 'unknown') return x.locale === 'zh-CN' ? '未知' : 'Unknown';
  return '';
};
export const device = (x: ReportContext) =>
  x.locale === 'zh-CN' ? x.c.device.name.zh || x.c.device.name.en : x.c.device.name.en || x.c.device.name.zh;
export const complainantLine = (x: ReportContext) =>
  [x.c.complainant.name, x.c.complainant.address, x.c.complainant.phone, x.c.complainant.email]
    .filter(Boolean)
    .join(' · ');
export const udiLine = (x: ReportContext) => x.c.udi.hri ?? x.c.udi.di ?? '';
/** The investigation's findings, or the signed reason why none was needed. */
export const findings = (x: ReportContext) => {
  const i = x.c.investigation;
  if (!i) return '';
  return i.investigated ? (i.findings ?? '') : (i.rationale ?? '');
};
