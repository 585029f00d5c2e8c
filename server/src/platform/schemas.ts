import { z } from 'zod';
import { optional } from './fields.ts';
import { msg } from './issueText.ts';

/** A schema's own message in both UI languages: `regex(re, msg('six digits', '应为六位数字'))`. */
export { msg };

// The field schemas every context shares, defined once (numbers and dates: fields.ts).
// Before issue 10, Bilingual was defined 6 times, Id 5 and the one-time-code rule 7.
export const Id = z.string().min(1).max(100);
export const Text = (max: number) => z.string().trim().max(max);
/** A name or title in both UI languages (master data too, so Chinese screens never show English data). */
export const Bilingual = z.object({ zh: Text(300).min(1), en: Text(300).min(1) });
export const OptionalBilingual = z.object({ zh: Text(1000).default(''), en: Text(1000).default('') });
/** How a stored bilingual text is returned (no input rules). */
export const BilingualView = z.object({ zh: z.string(), en: z.string() });
/** Codes end up in stream names and as values: letters, digits, - and _ (no dots: FerretDB keys). */
export const Code = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/,
    msg('letters, digits, - and _ (up to 40)', '只能包含字母、数字、- 和 _(最多 40 个字符)'),
  );
export const Reason = Text(2000).min(1);
export const Password = z.string().min(1).max(200);
/** RFC 6238 one-time code as authenticator apps show it: six digits. */
export const TotpCode = z.string().regex(/^\d{6}$/, msg('six digits', '应为六位数字'));
/** What every signing request carries (21 CFR 11.200(a): both components at each signing). */
export const Credentials = { password: Password, totp: optional(TotpCode) };
