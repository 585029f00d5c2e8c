import { domainError } from '../platform/errors.ts';

// The ledger's own line behind the HTTP checks: an event is stored only if the database keeps
// its bytes exactly as they were hashed. Otherwise the stored event would stop matching its
// hash and `ledger verify` would report an edit nobody made (or the insert would fail after the
// seq was taken). MongoDB and FerretDB 1.24 write strings as UTF-8 (a lone UTF-16 surrogate
// becomes U+FFFD), refuse keys with '.' or a leading '$' and, in FerretDB, keys with NUL and
// nested arrays; canonical JSON (RFC 8785) has no NaN or Infinity.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const MAX_DEPTH = 64;

/** The first place in `value` the store cannot keep byte-exact, as a path and a reason; null when all is storable. */
export function unstorable(
  value: unknown,
  path: string,
  depth = 0,
  inArray = false,
): { path: string; reason: string } | null {
  if (depth > MAX_DEPTH) return { path, reason: 'nested too deeply' };
  switch (typeof value) {
    case 'string':
      return LONE_SURROGATE.test(value) ? { path, reason: 'a lone UTF-16 surrogate' } : null;
    case 'number':
      return Number.isFinite(value) ? null : { path, reason: 'a number that is not finite' };
    case 'boolean':
    case 'undefined':
      return null;
    case 'object': {
      if (value === null || value instanceof Date) return null;
      if (Array.isArray(value)) {
        if (inArray) return { path, reason: 'an array inside an array' };
        for (let i = 0; i < value.length; i++) {
          const bad = unstorable(value[i], `${path}[${i}]`, depth + 1, true);
          if (bad) return bad;
        }
        return null;
      }
      for (const [k, v] of Object.entries(value)) {
        if (k.includes('.') || k.startsWith('$') || k.includes('\u0000') || LONE_SURROGATE.test(k))
          return { path: `${path}.${k}`, reason: "a key with '.', a leading '$', NUL or a lone surrogate" };
        const bad = unstorable(v, `${path}.${k}`, depth + 1);
        if (bad) return bad;
      }
      return null;
    }
    default:
      return { path, reason: `a ${typeof value}, which JSON cannot hold` };
  }
}

/** Refuses (400, nothing written) an event part the store cannot keep as hashed. */
export function assertStorable(parts: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(parts)) {
    const bad = unstorable(value, name);
    if (!bad) continue;
    throw domainError(
      'UNSTORABLE_VALUE',
      `The record cannot be stored exactly as given: ${bad.path} is ${bad.reason}. Nothing was written.`,
      `记录无法按原样保存:${bad.path} 含有无法精确存储的值(${bad.reason})。未写入任何内容。`,
      400,
      bad,
    );
  }
}
