import type { ZodType, z } from 'zod';
import { errors } from '../errors.ts';
import { currentLocale } from '../context.ts';
import { chinese, chineseOf, describeIssue, type Texts } from '../issueText.ts';

/**
 * Parses `input` with `schema`; the first issue becomes one VALIDATION_FAILED with its field path,
 * and `details` lists every issue as `{path, message}`, the message in the request's language.
 */
export function parseOrThrow<T>(schema: ZodType<T>, input: unknown, where: string): T {
  // built-in issues are described in both languages while zod still holds their input; a
  // schema's own message (msg() or plain English) outranks this map and is looked up below
  const described = new Map<string, Texts>();
  const r = schema.safeParse(input, {
    error: (iss) => {
      const t = describeIssue(iss);
      described.set(t.en, t);
      return t.en;
    },
  });
  if (r.success) return r.data;
  const texts = (i: z.core.$ZodIssue): Texts =>
    described.get(i.message) ?? { en: i.message, zh: chineseOf(i.message) ?? chinese(i) }; // English-only custom text: Chinese from its code
  const pathOf = (i: z.core.$ZodIssue) => [where, ...i.path.map(String)].join('.');
  const zh = currentLocale() === 'zh-CN';
  const details = r.error.issues.map((i) => ({ path: pathOf(i), message: zh ? texts(i).zh : texts(i).en }));
  throw errors.validation(pathOf(r.error.issues[0]), texts(r.error.issues[0]), details);
}

// A lone UTF-16 surrogate ("\ud800" in JSON) cannot be stored: the database writes UTF-8, which
// turns it into U+FFFD, so the stored event would no longer match the hash computed over what
// arrived, and `ledger verify` would report an edit nobody made. Such text is refused at the door,
// in keys as in values, wherever it comes in (body, query, path).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Throws VALIDATION_FAILED at the first string (or key) in `input` that is not well-formed Unicode. */
export function assertWellFormedText(input: unknown, where: string, depth = 0): void {
  if (typeof input === 'string') {
    if (LONE_SURROGATE.test(input))
      throw errors.validation(where, {
        en: 'text is not valid Unicode (a lone surrogate)',
        zh: '文本含有无效的字符(单独的代理码元)',
      });
    return;
  }
  if (input === null || typeof input !== 'object' || depth > 64) return;
  for (const [k, v] of Object.entries(input)) {
    if (LONE_SURROGATE.test(k))
      throw errors.validation(where, {
        en: 'a key is not valid Unicode (a lone surrogate)',
        zh: '字段名含有无效的字符(单独的代理码元)',
      });
    assertWellFormedText(v, `${where}.${k}`, depth + 1);
  }
}
