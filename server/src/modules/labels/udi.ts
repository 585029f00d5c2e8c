import { domainError } from '../../platform/errors.ts';
import { isValidGtin14 } from '../items/gtin.ts';

// GS1 element strings for a UDI (the DMR's labeling spec names which AIs a label carries).
// (01) is the UDI-DI; (11), (17), (10), (21) are the UDI-PI. Fixed-length AIs come first and
// the variable-length ones last, so only a GS (FNC1) between variable-length fields is needed.
export type UdiElement = '01' | '11' | '17' | '10' | '21';

export interface UdiInput {
  gtin: string;
  /** 'YYYY-MM-DD' or GS1 'YYMMDD' (for (17) the day may be 00: end of that month). */
  expiry?: string | null;
  productionDate?: string | null;
  lot?: string | null;
  serial?: string | null;
}

export interface UdiPart {
  ai: UdiElement;
  value: string;
}

export interface Udi {
  /** Human-readable interpretation: (01)09506000134352(17)261231(10)A1. */
  hri: string;
  /** What a scanner transmits after the symbology identifier: AIs and values, GS (\x1d) after a variable-length field that is not last. */
  elementString: string;
  parts: UdiPart[];
}

export const GS = '\u001d';

/** Order per GS1: fixed-length AIs first (by AI), variable-length last. */
const ORDER: UdiElement[] = ['01', '11', '17', '10', '21'];
const VARIABLE = new Set<UdiElement>(['10', '21']);
// GS1 AI encodable character set 82 (General Specifications, figure 7.11-1)
const CSET82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+$/;

const udiError = (code: string, en: string, zh: string, details?: unknown) => domainError(code, en, zh, 400, details);

/** Builds the UDI element string of `elements` from `input`; refuses what GS1 would not encode. */
export function buildUdi(input: UdiInput, elements: UdiElement[]): Udi {
  const wanted = new Set(elements);
  for (const ai of wanted)
    if (!ORDER.includes(ai))
      throw udiError('UDI_UNKNOWN_AI', `AI (${ai}) is not a UDI element.`, `AI (${ai}) 不是 UDI 数据元素。`, { ai });
  if (!wanted.has('01'))
    throw udiError(
      'UDI_DI_REQUIRED',
      'A UDI needs the device identifier (01) GTIN.',
      'UDI 必须包含器械标识 (01) GTIN。',
    );
  const parts: UdiPart[] = ORDER.filter((ai) => wanted.has(ai)).map((ai) => ({ ai, value: valueOf(ai, input) }));
  const hri = parts.map((p) => `(${p.ai})${p.value}`).join('');
  const elementString = parts
    .map((p, i) => p.ai + p.value + (VARIABLE.has(p.ai) && i < parts.length - 1 ? GS : ''))
    .join('');
  return { hri, elementString, parts };
}

function valueOf(ai: UdiElement, input: UdiInput): string {
  switch (ai) {
    case '01':
      return gtin14(input.gtin);
    case '11':
      return yymmdd(required(input.productionDate, ai, 'production date', '生产日期'), ai, false);
    case '17':
      return yymmdd(required(input.expiry, ai, 'expiry date', '失效日期'), ai, true);
    case '10':
      return cset82(required(input.lot, ai, 'lot number', '批号'), ai, 'lot number', '批号');
    case '21':
      return cset82(required(input.serial, ai, 'serial number', '序列号'), ai, 'serial number', '序列号');
  }
}

function required(v: string | null | undefined, ai: UdiElement, en: string, zh: string): string {
  if (v === undefined || v === null || v === '') {
    throw udiError(
      'UDI_VALUE_MISSING',
      `The label needs (${ai}) ${en}, but none was given.`,
      `标签需要 (${ai}) ${zh},但未提供。`,
      { ai },
    );
  }
  return v;
}

function gtin14(gtin: string): string {
  if (!isValidGtin14(gtin)) {
    throw udiError(
      'UDI_GTIN_INVALID',
      `"${gtin}" is not a GTIN-14 (14 digits with a valid check digit).`,
      `"${gtin}" 不是有效的 GTIN-14(14 位数字且校验位正确)。`,
      { ai: '01', value: gtin },
    );
  }
  return gtin;
}

/** 'YYYY-MM-DD' or 'YYMMDD' → 'YYMMDD', refusing days that do not exist (DD=00 allowed only for (17)). */
export function yymmdd(date: string, ai: UdiElement, allowDayZero: boolean): string {
  const iso = /^(\d{2})(\d{2})-(\d{2})-(\d{2})$/.exec(date);
  const gs1 = /^(\d{2})(\d{2})(\d{2})$/.exec(date);
  const m = iso ? [iso[2], iso[3], iso[4]] : gs1 ? [gs1[1], gs1[2], gs1[3]] : null;
  const bad = () =>
    udiError(
      'UDI_DATE_INVALID',
      `(${ai}) needs a date as YYYY-MM-DD or YYMMDD; "${date}" is not one.`,
      `(${ai}) 需要 YYYY-MM-DD 或 YYMMDD 格式的日期,"${date}" 无效。`,
      { ai, value: date },
    );
  if (!m) throw bad();
  const [yy, mm, dd] = m.map(Number);
  if (mm < 1 || mm > 12) throw bad();
  if (dd === 0 && allowDayZero) return m.join('');
  // GS1 resolves the century within a sliding window; the day count only differs on 29 February
  const fullYear = iso ? Number(date.slice(0, 4)) : 2000 + yy;
  const daysInMonth = new Date(Date.UTC(fullYear, mm, 0)).getUTCDate();
  if (dd < 1 || dd > daysInMonth) throw bad();
  return m.join('');
}

function cset82(value: string, ai: UdiElement, en: string, zh: string): string {
  if (value.length > 20) {
    throw udiError(
      'UDI_VALUE_TOO_LONG',
      `(${ai}) ${en} "${value}" is longer than 20 characters.`,
      `(${ai}) ${zh}"${value}"超过 20 个字符。`,
      { ai, value },
    );
  }
  if (!CSET82.test(value)) {
    throw udiError(
      'UDI_BAD_CHARACTER',
      `(${ai}) ${en} "${value}" has characters GS1 cannot encode (allowed: A–Z a–z 0–9 and !"%&'()*+,-./:;<=>?_).`,
      `(${ai}) ${zh}"${value}"含有 GS1 无法编码的字符(允许:A–Z a–z 0–9 及 !"%&'()*+,-./:;<=>?_)。`,
      { ai, value },
    );
  }
  return value;
}
