import { AppError, CATALOG } from './errors.ts';

// One error catalog per bounded context (issue 10): each domain code is declared once, with its
// HTTP status and its message in both UI languages; the HTTP layer shapes every AppError the
// same way (platform/http). A context writes `export const E = defineErrors('production', {...})`
// and throws `E.WORK_ORDER_WRONG_STATE({ number, state })`.

type Text<P> = string | ((p: P) => string);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry's params are inferred from its own texts
export interface ErrorEntry<P = any> {
  status: number;
  en: Text<P>;
  zh: Text<P>;
}
type ParamsOf<E> = E extends { en: (p: infer P) => string } ? P : E extends { zh: (p: infer P) => string } ? P : void;
type Factories<T> = {
  [K in keyof T]: ParamsOf<T[K]> extends void
    ? (p?: undefined, details?: unknown) => AppError
    : (p: ParamsOf<T[K]>, details?: unknown) => AppError;
};

const declared = new Map<string, string>(); // code → the context that declared it

const say = <P>(t: Text<P>, p: P) => (typeof t === 'function' ? t(p) : t);

/** Declares a context's domain errors; a code declared by two contexts is a start-up error (it would mean two rules). */
export function defineErrors<const T extends Record<string, ErrorEntry>>(context: string, entries: T): Factories<T> {
  const out: Record<string, (p?: unknown, details?: unknown) => AppError> = {};
  for (const [code, entry] of Object.entries(entries)) {
    if (code in CATALOG)
      throw new Error(
        `error code ${code} is in the shared catalog (platform/errors.ts); ${context} must not declare it again`,
      );
    const owner = declared.get(code);
    if (owner && owner !== context) throw new Error(`error code ${code} is declared by both ${owner} and ${context}`);
    declared.set(code, context);
    out[code] = (p?: unknown, details?: unknown) => {
      const en = say(entry.en, p as never);
      return new AppError(code, { message: en, en, zh: say(entry.zh, p as never) }, details, entry.status);
    };
  }
  return out as Factories<T>;
}

/** Every declared domain code and its context (for the OpenAPI description and the catalog test). */
export function declaredErrorCodes(): ReadonlyMap<string, string> {
  return declared;
}
