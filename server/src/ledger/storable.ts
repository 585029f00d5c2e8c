import { LedgerErrors } from './errors.ts';

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

// the reasons above in Chinese (the English ones stay in `details`, as before)
const REASON_ZH: Record<string, string> = {
  'nested too deeply': '嵌套过深',
  'a lone UTF-16 surrogate': '单独的代理码元',
  'a number that is not finite': '非有限数字',
  'an array inside an array': '列表中嵌套列表',
  "a key with '.', a leading '$', NUL or a lone surrogate": "字段名含有 '.'、以 '$' 开头、含空字符或单独的代理码元",
};

/** Refuses (400, nothing written) an event part the store cannot keep as hashed. */
export function assertStorable(parts: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(parts)) {
    const bad = unstorable(value, name);
    if (!bad) continue;
    throw LedgerErrors.UNSTORABLE_VALUE({ ...bad, reasonZh: REASON_ZH[bad.reason] ?? '该类型的值' }, bad);
  }
}
