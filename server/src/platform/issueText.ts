import { z } from 'zod';

// Field-level validation messages in both UI languages (issue 10 item 4). zod's own zh-CN locale
// embeds English type names ("期望 string"), so Chinese is written here, by issue code. English stays
// zod's default text, so English screens and clients read what they read before.

export interface Texts {
  en: string;
  zh: string;
}
type RawIssue = z.core.$ZodRawIssue;

// A schema's own message, written once in both languages: `regex(re, msg('six digits', '六位数字'))`.
// zod keeps one string per issue, so the English text is what the schema carries and the Chinese
// one is looked up by it when the HTTP layer shapes the error (platform/http/validate.ts).
const custom = new Map<string, string>();

/** A bilingual custom message for a schema check; returns the English text zod carries. */
export function msg(en: string, zh: string): string {
  const known = custom.get(en);
  // one English text, one Chinese text: a second translation would show two rules as one
  if (known !== undefined && known !== zh)
    throw new Error(`validation message "${en}" has two Chinese texts: "${known}" and "${zh}"`);
  custom.set(en, zh);
  return en;
}

/** The Chinese text declared with msg() for a schema's English message, if any. */
export const chineseOf = (en: string): string | undefined => custom.get(en);

const english = z.locales.en().localeError;

/** Both texts of a built-in zod issue, while its input is still known (the per-parse error map). */
export function describeIssue(iss: RawIssue): Texts {
  const en = english(iss);
  return { en: typeof en === 'string' ? en : (en?.message ?? 'Invalid input'), zh: chinese(iss, true) };
}

const TYPE: Record<string, string> = {
  string: '文本',
  number: '数字',
  int: '整数',
  bigint: '整数',
  boolean: '是或否',
  object: '对象',
  array: '列表',
  tuple: '列表',
  record: '对象',
  map: '映射',
  set: '集合',
  date: '日期',
  file: '文件',
  null: '空值',
  undefined: '空',
  nan: '非数字',
  symbol: '符号',
  function: '函数',
};
const typeOf = (v: unknown) =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' && Number.isNaN(v) ? 'nan' : typeof v;
const quoted = (vs: readonly unknown[]) => vs.map((v) => `"${String(v)}"`).join('、');
const num = (n: number | bigint) => String(n);

/**
 * The Chinese text of an issue, with no English words (values and field names are quoted as
 * they are). `withInput` is false for an issue already finalized (zod drops its input), where a
 * missing field cannot be told from a wrong type.
 */
export function chinese(iss: RawIssue | z.core.$ZodIssue, withInput = false): string {
  switch (iss.code) {
    case 'invalid_type': {
      const expected = TYPE[iss.expected] ?? '其他类型';
      if (!withInput) return `应为${expected}`;
      if (iss.input === undefined) return '必填';
      if (typeof iss.input === 'number' && !Number.isFinite(iss.input)) return `应为${expected},收到的不是有限数字`;
      return `应为${expected},收到的是${TYPE[typeOf(iss.input)] ?? '其他类型'}`;
    }
    case 'invalid_value':
      return iss.values.length === 1
        ? `应为 ${quoted(iss.values)}`
        : `不是允许的取值,应为以下之一:${quoted(iss.values)}`;
    case 'too_big':
      return bound(iss.origin, iss.maximum, iss.inclusive, iss.exact, 'max');
    case 'too_small':
      return bound(iss.origin, iss.minimum, iss.inclusive, iss.exact, 'min');
    case 'invalid_format':
      return FORMAT[iss.format] ?? '格式不正确';
    case 'not_multiple_of':
      return `应为 ${iss.divisor} 的倍数`;
    case 'unrecognized_keys':
      return `不允许的字段:${quoted(iss.keys)}`;
    case 'invalid_key':
      return '含有无效的键';
    case 'invalid_element':
      return '含有无效的值';
    case 'invalid_union':
      return iss.inclusive === false ? '同时符合多种形式,无法判断' : '不符合任何允许的形式';
    default:
      return '值无效';
  }
}

const FORMAT: Record<string, string> = {
  regex: '格式不正确',
  email: '不是有效的电子邮件地址',
  url: '不是有效的网址',
  uuid: '不是有效的唯一标识',
  uuidv4: '不是有效的唯一标识',
  uuidv6: '不是有效的唯一标识',
  guid: '不是有效的唯一标识',
  datetime: '不是有效的日期时间',
  date: '不是有效的日期',
  time: '不是有效的时间',
  duration: '不是有效的时长',
  ipv4: '不是有效的网络地址',
  ipv6: '不是有效的网络地址',
  base64: '不是有效的编码文本',
  base64url: '不是有效的编码文本',
  starts_with: '开头不正确',
  ends_with: '结尾不正确',
  includes: '缺少必需的内容',
};

function bound(
  origin: string,
  n: number | bigint,
  inclusive: boolean | undefined,
  exact: boolean | undefined,
  side: 'min' | 'max',
): string {
  const unit =
    origin === 'string'
      ? ' 个字符'
      : origin === 'array' || origin === 'set' || origin === 'map'
        ? ' 项'
        : origin === 'file'
          ? ' 字节'
          : '';
  if (unit) {
    if (exact) return `应为 ${num(n)}${unit}`;
    if (side === 'min' && Number(n) === 1 && inclusive !== false)
      return origin === 'string' ? '不能为空' : '至少需要 1 项';
    const limit = inclusive === false ? (side === 'min' ? Number(n) + 1 : Number(n) - 1) : n;
    return side === 'min' ? `至少 ${num(limit)}${unit}` : `最多 ${num(limit)}${unit}`;
  }
  const value = origin === 'date' ? new Date(Number(n)).toISOString().slice(0, 10) : num(n);
  if (origin === 'date') return side === 'min' ? `不能早于 ${value}` : `不能晚于 ${value}`;
  if (side === 'min') return inclusive === false ? `应大于 ${value}` : `不能小于 ${value}`;
  return inclusive === false ? `应小于 ${value}` : `不能大于 ${value}`;
}
