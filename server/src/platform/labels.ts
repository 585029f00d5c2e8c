import { z } from 'zod';
import { optional } from './fields.ts';
import { Text } from './schemas.ts';

/**
 * A display label in both UI languages beside a stable name or code that the system compares
 * (capture names key the step values, equipment types are matched against the operation): either
 * language may be missing, the other is the fallback, and the name is the last one (issue 15 item 8).
 */
export const Label = z
  .object({ en: optional(Text(200)), zh: optional(Text(200)) })
  .strict()
  .transform((l) => ({ ...(l.en ? { en: l.en } : {}), ...(l.zh ? { zh: l.zh } : {}) }));
export type Label = { en?: string; zh?: string };

/** Both languages filled: the missing one from the other, then from the name (records without a label). */
export const labelOf = (label: Label | undefined, name: string) => ({
  en: label?.en || label?.zh || name,
  zh: label?.zh || label?.en || name,
});
