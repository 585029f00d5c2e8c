import { ApiError } from '@/api/request';

/**
 * A refused request's field messages, keyed by the field's path below `prefix`: the server sends
 * `[{path, message}]` in the user's language (body.content.title.en → title.en for prefix
 * `body.content.`), so each form shows the message at its field. Domain refusals (no path) are
 * left to the toast the request module has already shown.
 */
export function serverFieldErrors(err: unknown, prefix = 'body.'): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(err instanceof ApiError) || !Array.isArray(err.details)) return out;
  for (const d of err.details as Array<{ path?: unknown; message?: unknown }>) {
    if (typeof d?.path !== 'string' || typeof d.message !== 'string') continue;
    const key = d.path.startsWith(prefix) ? d.path.slice(prefix.length) : d.path;
    out[key] ??= d.message;
  }
  return out;
}

/** The first message under `key` or any of its sub-fields (title → title.en). */
export const errorAt = (errors: Record<string, string>, key: string) =>
  errors[key] ?? Object.entries(errors).find(([k]) => k.startsWith(`${key}.`))?.[1] ?? '';
