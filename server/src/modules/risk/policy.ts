import { z } from 'zod';
import { msg, Bilingual, OptionalBilingual, Text } from '../../platform/schemas.ts';
import { RiskErrors as E } from './errors.ts';

// The acceptability policy of a risk management plan, as data (ISO 14971:2019 4.4 d): a
// probability scale × a severity scale and a zone per cell. Everything that judges a risk reads
// the device's approved plan through these pure functions; no threshold is written in code.
//
// Scales run from the lowest level (1) up: probability 1 = the least likely, severity 1 = the
// least severe. `zones[severity - 1].cells[probability - 1]` is the cell's zone. Two or three zones:
// acceptable / reduce as far as possible (AFAP, ISO/TR 24971:2020 5.4 / Annex ZA of EN ISO 14971)
// / unacceptable; a plan that uses only two is a two-zone policy.
//
// Probability estimation (ISO 14971:2019 Annex C, Figure C.1; ISO/TR 24971:2020 5.5.3): the
// probability of occurrence of harm P = P1 × P2, P1 the probability that the hazardous situation
// occurs, P2 the probability that it leads to harm. When every probability level of the plan has a
// numeric band, rows give P1 and P2 as numbers, their product is placed in the band that contains
// it (bands are half-open [min, max), the top one closed), and a product outside every band is
// refused. When the plan's levels have no bands (a qualitative scale, ISO/TR 24971:2020 5.5.4),
// rows give the level directly.

export const ZONES = ['acceptable', 'afap', 'unacceptable'] as const;
export type Zone = (typeof ZONES)[number];
export const LEVELS_MIN = 2;
export const LEVELS_MAX = 10;

const Probability = z.number().min(0).max(1);
const Band = z.object({ min: Probability, max: Probability });

export const PlanContent = z
  .object({
    scope: Text(5000).min(1),
    lifecyclePhases: z.array(Text(200).min(1)).min(1).max(20),
    responsibilities: Text(5000).min(1),
    probability: z
      .array(z.object({ name: Bilingual, band: Band.nullable().default(null) }))
      .min(LEVELS_MIN)
      .max(LEVELS_MAX),
    severity: z
      .array(z.object({ name: Bilingual, definition: OptionalBilingual.default({ zh: '', en: '' }) }))
      .min(LEVELS_MIN)
      .max(LEVELS_MAX),
    // one row per severity (storage keeps no array directly inside an array)
    zones: z.array(z.object({ cells: z.array(z.enum(ZONES)).max(LEVELS_MAX) })).max(LEVELS_MAX),
  })
  .superRefine((p, ctx) => {
    const fail = (path: (string | number)[], en: string, zh: string) =>
      ctx.addIssue({ code: 'custom', path, message: msg(en, zh) });
    for (const key of ['probability', 'severity'] as const) {
      for (const lang of ['en', 'zh'] as const) {
        const names = p[key].map((l) => l.name[lang].toLowerCase());
        const dup = names.find((n, i) => names.indexOf(n) !== i);
        if (dup) fail([key], `two levels are named "${dup}"`, `两个等级同名"${dup}"`);
      }
    }
    if (p.zones.length !== p.severity.length || p.zones.some((r) => r.cells.length !== p.probability.length))
      fail(
        ['zones'],
        `every cell needs a zone: ${p.severity.length} rows (severities) of ${p.probability.length} (probabilities)`,
        `每个单元格都需要区域:${p.severity.length} 行(严重度)× ${p.probability.length} 列(概率)`,
      );
    const bands = p.probability.map((l) => l.band);
    if (bands.some((b) => b) && bands.some((b) => !b))
      fail(
        ['probability'],
        'either every probability level has a numeric band or none has',
        '概率等级要么全部有数值区间,要么全部没有',
      );
    else if (bands.every((b) => b)) {
      bands.forEach((b, i) => {
        if (!(b!.min < b!.max))
          fail(['probability', i, 'band'], 'a band needs min < max', '区间需满足 最小值 < 最大值');
        if (i > 0 && bands[i - 1]!.max !== b!.min)
          fail(
            ['probability', i, 'band'],
            'bands rise level by level without gaps or overlaps',
            '区间应逐级递增、不重叠、无间隙',
          );
      });
    }
  });
export type PlanContent = z.output<typeof PlanContent>;

export const quantitative = (p: PlanContent) => p.probability.every((l) => l.band);

/** The plan's level for a product P1 × P2, or null when it falls outside every band. */
export function levelOfProbability(p: PlanContent, value: number): number | null {
  const last = p.probability.length - 1;
  const i = p.probability.findIndex(
    (l, k) => l.band && value >= l.band.min && (value < l.band.max || (k === last && value === l.band.max)),
  );
  return i < 0 ? null : i + 1;
}

/** An estimate as a row gives it: P1 and P2, or a level (qualitative plans). */
export interface Estimate {
  severity: number;
  p1: number | null;
  p2: number | null;
  probability: number | null;
}

/** Where an estimate lands on the plan, or why it cannot (the refusal, thrown by `assertOnScale`). */
export function judge(p: PlanContent, e: Estimate) {
  if (e.severity < 1 || e.severity > p.severity.length)
    return { error: E.RISK_SEVERITY_OUT_OF_SCALE({ value: e.severity, levels: p.severity.length }) } as const;
  let level: number | null;
  let combined: number | null = null;
  if (quantitative(p)) {
    if (e.p1 === null || e.p2 === null)
      return { error: E.RISK_ESTIMATE_MODE({ need: 'as P1 × P2: give p1 and p2' }) } as const;
    combined = e.p1 * e.p2;
    level = levelOfProbability(p, combined);
    if (level === null)
      return {
        error: E.RISK_PROBABILITY_OUT_OF_SCALE({ value: combined.toExponential(2), levels: p.probability.length }),
      } as const;
  } else {
    if (e.probability === null)
      return { error: E.RISK_ESTIMATE_MODE({ need: 'by level: give probability (1 = least likely)' }) } as const;
    level = e.probability;
    if (level < 1 || level > p.probability.length)
      return {
        error: E.RISK_PROBABILITY_OUT_OF_SCALE({ value: String(level), levels: p.probability.length }),
      } as const;
  }
  return {
    severity: e.severity,
    probability: level,
    combined,
    zone: p.zones[e.severity - 1].cells[level - 1],
  } as const;
}
export type Judgement = Exclude<ReturnType<typeof judge>, { error: unknown }>;

export function assertOnScale(p: PlanContent, e: Estimate): Judgement {
  const j = judge(p, e);
  if ('error' in j) throw j.error;
  return j;
}

/** A judgement for display: the zone, or null with the reason when the estimate no longer fits the plan. */
export function view(p: PlanContent | null, e: Estimate | null) {
  if (!p || !e) return null;
  const j = judge(p, e);
  if ('error' in j && j.error)
    return { zone: null, severity: e.severity, probability: null, combined: null, problem: j.error.code };
  return { ...(j as Judgement), problem: null };
}
