import type { Services } from '../../platform/services.ts';
import { AppError, errors } from '../../platform/errors.ts';
import { streamOf } from '../../records/registry.ts';
import { isRace, nextSequence } from '../../records/ledgerOps.ts';
import { schemeRecord } from '../documents/numbering.ts';
import { now as clockNow } from '../../platform/clock.ts';

// Numbering schemes of production: work order numbers and serial numbers, each a pattern with
// {yyyy} {yy} {mm} {pn} (the device's part number) and one {seq:N}. The pattern is a ledger record
// like the document schemes (`numbering_scheme:<type>`); the counter is a ledger sequence per
// year (when the pattern shows the year) and per device (for {pn}); every number is claimed on
// its own stream, so a pattern change can never hand out a number twice. Lot numbers share the
// lot sequence with receiving (inventory allocateLotNumber).
export const PRODUCTION_SCHEMES = { work_order: 'WO-{yyyy}-{seq:5}', serial: '{pn}-{yy}{seq:5}' } as const;
export type ProductionScheme = keyof typeof PRODUCTION_SCHEMES;
export const SCHEME_TYPES = Object.keys(PRODUCTION_SCHEMES) as [ProductionScheme, ...ProductionScheme[]];
export const SCHEME_PATTERN_RE = /^(?:[A-Za-z0-9._-]|\{yyyy\}|\{yy\}|\{mm\}|\{pn\}|\{seq:[1-8]\})+$/;

export function schemeProblem(type: ProductionScheme, p: string): { en: string; zh: string } | null {
  if (!SCHEME_PATTERN_RE.test(p)) {
    return {
      en: 'letters, digits, . _ - and the tokens {yyyy}, {yy}, {mm}, {pn}, {seq:N} only',
      zh: '只能包含字母、数字、. _ - 以及 {yyyy}、{yy}、{mm}、{pn}、{seq:N}',
    };
  }
  if ((p.match(/\{seq:[1-8]\}/g) ?? []).length !== 1)
    return { en: 'exactly one {seq:N} (N from 1 to 8)', zh: '须且只能有一个 {seq:N}(N 为 1 到 8)' };
  if (p.includes('{mm}') && !/\{yyyy\}|\{yy\}/.test(p))
    return { en: '{mm} needs the year too ({yyyy} or {yy})', zh: '使用 {mm} 时须同时包含年份({yyyy} 或 {yy})' };
  if (type === 'work_order' && p.includes('{pn}'))
    return { en: 'a work order number cannot contain {pn}', zh: '工单编号不能包含 {pn}' };
  return null;
}

export async function schemePattern(s: Services, type: ProductionScheme): Promise<string> {
  const doc = await s.db.collection<{ pattern: string }>(schemeRecord.collection).findOne({ _id: type as never });
  return doc?.pattern ?? PRODUCTION_SCHEMES[type];
}

/** Changes a scheme's pattern (the acting user comes from the request context). */
export async function setSchemePattern(s: Services, type: ProductionScheme, pattern: string) {
  const problem = schemeProblem(type, pattern);
  if (problem) throw errors.validation('body.pattern', problem);
  if ((await schemePattern(s, type)) === pattern) return;
  await s.ledger.appendWithRetry(streamOf('numbering_scheme', type), 'numbering.patternChanged', { pattern });
}

function render(pattern: string, seq: number, pn: string, now: Date) {
  const yyyy = String(now.getUTCFullYear());
  return pattern
    .replace('{yyyy}', yyyy)
    .replace('{yy}', yyyy.slice(2))
    .replace('{mm}', String(now.getUTCMonth() + 1).padStart(2, '0'))
    .replace('{pn}', pn)
    .replace(/\{seq:(\d)\}/, (_, n: string) => String(seq).padStart(Number(n), '0'));
}

/** The counter a pattern draws from: restarts with the year (or month) it shows, per device for {pn}. */
function counterOf(type: ProductionScheme, pattern: string, pn: string, now: Date) {
  const yyyy = now.getUTCFullYear();
  const period = pattern.includes('{mm}')
    ? `${yyyy}.${now.getUTCMonth() + 1}`
    : /\{yyyy\}|\{yy\}/.test(pattern)
      ? `${yyyy}`
      : 'all';
  return type === 'work_order' ? `wo.${period}` : `serial.${pattern.includes('{pn}') ? `${pn}.` : ''}${period}`;
}

/** The next number of a scheme, claimed on `claimStream(number)` (version 1) before it is returned. */
export async function allocateNumber(
  s: Services,
  type: ProductionScheme,
  ctx: { pn?: string; claim: (n: string) => string },
): Promise<string> {
  const pattern = await schemePattern(s, type);
  const now = clockNow();
  for (let attempt = 0; attempt < 100; attempt++) {
    const number = render(
      pattern,
      await nextSequence(s, counterOf(type, pattern, ctx.pn ?? '', now)),
      ctx.pn ?? '',
      now,
    );
    try {
      await s.ledger.append(ctx.claim(number), 'numbering.claimed', { type }, { expectedVersion: 0 });
      return number;
    } catch (err) {
      if (!isRace(err)) throw err; // taken under an earlier pattern: that sequence is burnt, take the next
    }
  }
  throw new AppError('NUMBERING_BUSY');
}

/** The number the `ahead`-th allocation from now would give (a preview: nothing is allocated). */
export async function previewNumber(s: Services, type: ProductionScheme, pn: string, ahead = 1): Promise<string> {
  const pattern = await schemePattern(s, type);
  const now = clockNow();
  const seq = ((await s.ledger.head(`sequence:${counterOf(type, pattern, pn, now)}`))?.version ?? 0) + ahead;
  return render(pattern, seq, pn, now);
}

/** The schemes with the number each would give next (a preview: nothing is allocated). */
export async function listProductionSchemes(s: Services) {
  const now = clockNow();
  return Promise.all(
    SCHEME_TYPES.map(async (type) => {
      const pattern = await schemePattern(s, type);
      const seq = ((await s.ledger.head(`sequence:${counterOf(type, pattern, 'FG-IFS-20', now)}`))?.version ?? 0) + 1;
      return { type, pattern, example: render(pattern, seq, 'FG-IFS-20', now) };
    }),
  );
}
