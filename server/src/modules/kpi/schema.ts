import { z } from 'zod';
import { IsoDate, optional } from '../../platform/fields.ts';
import { Id, msg } from '../../platform/schemas.ts';

/** The longest period a dashboard answers (a bounded query: at most 3 years of months). */
export const MAX_PERIOD_DAYS = 1096;

export const KPI_IDS = [
  'incident_rate',
  'scrap_rate',
  'inspection_wait',
  'inventory_turnover',
  'audit_pass_rate',
  'trace_speed',
  'recall_timeliness',
  'capa_ageing',
  'first_pass_yield',
  'on_time_delivery',
  'supplier_scorecard',
] as const;
export type KpiId = (typeof KPI_IDS)[number];

const dayMs = 86_400_000;
export const periodDays = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / dayMs) + 1;

// A period's ends lie in the years records can have (the year 0000 made the month series fail).
const KpiDate = IsoDate.regex(
  /^(19[7-9]\d|20\d\d)-/,
  msg('a date from 1970 to 2099', '应为 1970 年至 2099 年之间的日期'),
);

/** Filters of the dashboard: a bounded period (from ≤ to, at most MAX_PERIOD_DAYS) and an optional product (item id). */
export const KpiQuery = z
  .object({
    from: KpiDate,
    to: KpiDate,
    productId: optional(Id),
  })
  .strict()
  .refine((q) => q.from <= q.to, { message: msg('"from" is after "to"', '开始日期晚于结束日期'), path: ['to'] })
  .refine((q) => q.from > q.to || periodDays(q.from, q.to) <= MAX_PERIOD_DAYS, {
    message: msg(`a period of at most ${MAX_PERIOD_DAYS} days`, `期间最长 ${MAX_PERIOD_DAYS} 天`),
    path: ['from'],
  });
export type KpiQueryInput = z.infer<typeof KpiQuery>;

/** Drill-down: the same filters, and optionally one month (a chart point) or one series label (a bar). */
export const KpiRecordsQuery = z
  .object({
    from: KpiDate,
    to: KpiDate,
    productId: optional(Id),
    month: optional(
      z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, msg('a month like 2026-12', '应为形如 2026-12 的月份')),
    ),
    label: optional(z.string().trim().min(1).max(200)),
  })
  .strict()
  .refine((q) => q.from <= q.to, { message: msg('"from" is after "to"', '开始日期晚于结束日期'), path: ['to'] })
  .refine((q) => q.from > q.to || periodDays(q.from, q.to) <= MAX_PERIOD_DAYS, {
    message: msg(`a period of at most ${MAX_PERIOD_DAYS} days`, `期间最长 ${MAX_PERIOD_DAYS} 天`),
    path: ['from'],
  });
export type KpiRecordsQueryInput = z.infer<typeof KpiRecordsQuery>;

export const KpiParams = z.object({ id: z.enum(KPI_IDS) }).strict();
