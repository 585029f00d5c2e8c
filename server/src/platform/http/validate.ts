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

// A lone UTF-16 surrogate ("\ud800" in JSON) cannot be stored: the database writes UTF-8, which
// turns it into U+FFFD, so the stored event would no longer match the hash computed over what
// arrived, and `ledger verify` would report an edit nobody made. Such text is refused at the door,
// in keys as in values, wherever it comes in (body, query, path).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Throws VALIDATION_FAILED at the first string (or key) in `input` that is not well-formed Unicode. */
export function assertWellFormedText(input: unknown, where: string, depth = 0): void {
  if (typeof input === 'string') {
    if (LONE_SURROGATE.test(input)) throw errors.validation(where, 'text is not valid Unicode (a lone surrogate)');
    return;
  }
  if (input === null || typeof input !== 'object' || depth > 64) return;
  for (const [k, v] of Object.entries(input)) {
    if (LONE_SURROGATE.test(k)) throw errors.validation(where, 'a key is not valid Unicode (a lone surrogate)');
    assertWellFormedText(v, `${where}.${k}`, depth + 1);
  }
}
