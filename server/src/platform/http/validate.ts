import type { ZodType } from 'zod';
import { errors } from '../errors.ts';

/** Parses `input` with `schema`; the first issue becomes one VALIDATION_FAILED with its field path. */
export function parseOrThrow<T>(schema: ZodType<T>, input: unknown, where: string): T {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = [where, ...issue.path.map(String)].join('.');
  throw errors.validation(path, issue.message, r.error.issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message })));
}
