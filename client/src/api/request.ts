import { ElMessage } from 'element-plus';
import { i18n, translate } from '@/locales';

export interface ApiErrorBody {
  code: string;
  message?: string;
  details?: unknown;
}

/** A failed API call: the server's `{error:{code,message,details}}` plus the HTTP status. */
export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public details?: unknown,
  ) {
    super(message);
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | undefined | null>;
  /** Error codes the caller handles itself: no toast for these. */
  quietCodes?: string[];
  /** No toast at all (probing calls such as GET /auth/me on page load). */
  silent?: boolean;
  /** Don't redirect to /login on 401 (the login call itself). */
  noAuthRedirect?: boolean;
}

const API_BASE = '/api/v1';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
// 401s that mean "the password/code typed for a signature is wrong", not "the session is gone".
const REAUTHENTICATION_FAILURES = new Set(['INVALID_CREDENTIALS', 'TOTP_REQUIRED', 'TOTP_INVALID']);

let onUnauthorized: () => void = () => {};
/** Set once at start-up by the router, to avoid an import cycle. */
export function setUnauthorizedHandler(handler: () => void) {
  onUnauthorized = handler;
}

/** What a request needs from the signed-in session. The router binds the auth store at start-up:
 * the store calls the API through this module, so importing it here would be an import cycle. */
export interface SessionBinding {
  csrfToken(): string;
  clear(): void;
}
let session: SessionBinding = { csrfToken: () => '', clear: () => {} };
export function bindSession(binding: SessionBinding) {
  session = binding;
}

export function apiUrl(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return `${API_BASE}${path}${search ? `?${search}` : ''}`;
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': i18n.global.locale.value,
  };
  const csrfToken = session.csrfToken();
  if (UNSAFE_METHODS.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) body = options.body;
  else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }

  let response: Response;
  try {
    response = await fetch(apiUrl(path, options.query), { method, headers, body, credentials: 'same-origin' });
  } catch (cause) {
    const message = translate('common.errors.network');
    ElMessage.error(message);
    throw new ApiError(0, 'NETWORK_ERROR', message, cause);
  }
  if (response.ok) {
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
  throw await failure(response, options);
}

async function failure(response: Response, options: RequestOptions): Promise<ApiError> {
  let payload: ApiErrorBody | undefined;
  try {
    payload = ((await response.json()) as { error?: ApiErrorBody }).error;
  } catch {
    payload = undefined;
  }
  const code = payload?.code ?? `HTTP_${response.status}`;
  const error = new ApiError(response.status, code, payload?.message || code, payload?.details);
  if (response.status === 401 && !options.noAuthRedirect && !REAUTHENTICATION_FAILURES.has(code)) {
    session.clear();
    onUnauthorized();
    return error;
  }
  if (!options.silent && !options.quietCodes?.includes(code)) ElMessage.error(error.message);
  return error;
}
