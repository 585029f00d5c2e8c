import type { AppError } from '../platform/errors.ts';
import type { Refusal } from './lifecycle.ts';

/**
 * A catalog error (a context's errors.ts, or the platform catalog) as a lifecycle refusal: the
 * code, its status and both texts stay declared once, where the context declares its errors.
 */
export const refusal = (e: AppError): Refusal => ({
  code: e.code,
  en: e.localized('en-US'),
  zh: e.localized('zh-CN'),
  status: e.status,
});
