import { z } from 'zod';
import { addDays, addMonths, todayUtc } from '../../platform/dates.ts';
export { addDays, addMonths, todayUtc };
// the number fields and their bounds live in platform/fields.ts (one set of limits for every door)
export { Quantity, roundQty, optional, IsoDate } from '../../platform/fields.ts';
import { optional } from '../../platform/fields.ts';

// zod building blocks and calendar helpers shared by the ERP modules (items, suppliers,
// purchasing, inspection, inventory). Dates are ISO calendar dates (YYYY-MM-DD, UTC).
export const Id = z.string().min(1).max(100);
export const Text = (max: number) => z.string().trim().max(max);
export const Bilingual = z.object({ zh: Text(300).min(1), en: Text(300).min(1) });
export const OptionalBilingual = z.object({ zh: Text(1000).default(''), en: Text(1000).default('') });
/** Codes end up in stream names and as values: letters, digits, - and _ (no dots: FerretDB keys). */
export const Code = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/, 'letters, digits, - and _ (up to 40)');
export const Reason = Text(2000).min(1);
export const Credentials = {
  password: z.string().min(1).max(200),
  totp: optional(z.string().regex(/^\d{6}$/, 'six digits')),
};
