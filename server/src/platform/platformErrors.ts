import { defineErrors } from './errorCatalog.ts';

// The platform's domain errors (bounds of quantities and amounts, bodies the server cannot read),
// each declared once; the codes every context shares (HTTP-level) are in errors.ts (CATALOG).
type Bilingual = { en: string; zh: string };
type Result = { what: Bilingual; result: number; max: number };

export const PlatformErrors = defineErrors('platform', {
  // a sum or product of valid inputs that leaves the domain's bounds (fields.ts): 422, nothing written
  QUANTITY_OUT_OF_RANGE: {
    status: 422,
    en: (p: Result) => `${p.what.en} would be ${p.result}; quantities stay between 0 and ${p.max}.`,
    zh: (p: Result) => `${p.what.zh}将为 ${p.result},数量必须在 0 到 ${p.max} 之间。`,
  },
  AMOUNT_OUT_OF_RANGE: {
    status: 422,
    en: (p: Result) => `${p.what.en} would be ${p.result}; amounts stay between 0 and ${p.max}.`,
    zh: (p: Result) => `${p.what.zh}将为 ${p.result},金额必须在 0 到 ${p.max} 之间。`,
  },
  // zlib (Content-Encoding: gzip/deflate) on a body that is not what it says, or cut short
  BODY_ENCODING_INVALID: {
    status: 400,
    en: 'The request body is not valid for its Content-Encoding (gzip or deflate).',
    zh: '请求体与其 Content-Encoding(gzip 或 deflate)不符。',
  },
});
