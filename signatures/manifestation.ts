// 21 CFR 11.50: printed name, date and time, and meaning wherever a signature is shown or printed.
export const MEANINGS = [
  'authored',
  'reviewed',
  'approved',
  'released',
  'verified',
  'performed',
  'read_and_understood',
  'reviewed_no_change',
  'obsoleted',
  'rejected',
] as const;
export type Meaning = (typeof MEANINGS)[number];

export const MEANING_LABELS: Record<Meaning, { 'en-US': string; 'zh-CN': string }> = {
  authored: { 'en-US': 'Authored', 'zh-CN': '编写' },
  reviewed: { 'en-US': 'Reviewed', 'zh-CN': '审核' },
  approved: { 'en-US': 'Approved', 'zh-CN': '批准' },
  released: { 'en-US': 'Released', 'zh-CN': '放行' },
  verified: { 'en-US': 'Verified', 'zh-CN': '复核' },
  performed: { 'en-US': 'Performed', 'zh-CN': '执行' },
  read_and_understood: { 'en-US': 'Read and understood', 'zh-CN': '已阅读并理解' },
  reviewed_no_change: { 'en-US': 'Reviewed — no change', 'zh-CN': '已评审—无需变更' },
  obsoleted: { 'en-US': 'Obsoleted', 'zh-CN': '作废' },
  rejected: { 'en-US': 'Rejected', 'zh-CN': '驳回' },
};

/**
 * "Printed Name — Approved — 2026-11-26 08:00:00 UTC"; a delegate's signature names both people:
 * "B, signed on behalf of A — Approved — …" / "B 代表 A 签署 — 批准 — …" (issue 15 item 6).
 */
export function manifestation(
  printedName: string,
  meaning: string,
  signedAtIso: string,
  locale: 'en-US' | 'zh-CN' = 'en-US',
  onBehalfOf?: string,
): string {
  const label = MEANING_LABELS[meaning as Meaning]?.[locale] ?? meaning;
  const when = new Date(signedAtIso)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, ' UTC');
  const who = !onBehalfOf
    ? printedName
    : locale === 'zh-CN'
      ? `${printedName} 代表 ${onBehalfOf} 签署`
      : `${printedName}, signed on behalf of ${onBehalfOf}`;
  return `${who} — ${label} — ${when}`;
}

/** The manifestation of a signature as its ledger event holds it (signer, meaning, time, principal). */
export const manifestationOf = (
  d: { signer: { name: string }; meaning: string; signedAt: string; onBehalfOf?: { name: string } },
  locale: 'en-US' | 'zh-CN' = 'en-US',
) => manifestation(d.signer.name, d.meaning, d.signedAt, locale, d.onBehalfOf?.name);
