import { currentLocale } from './context.ts';

// One error catalog: every error a client can see has a stable code, an HTTP status and a
// message in both UI languages. Routes throw these; `onerror` shapes them.
type Params = Record<string, string | number>;
// A message is a template ({name} takes a param), or a function of the params that returns one.
type Message = string | ((p: Params) => string);
interface Entry {
  status: number;
  en: Message;
  zh: Message;
}

export const CATALOG = {
  VALIDATION_FAILED: { status: 400, en: 'Invalid input at {path}: {issue}', zh: '输入无效({path}):{issueZh}' },
  BAD_REQUEST: { status: 400, en: '{en}', zh: '{zh}' },
  UNAUTHENTICATED: { status: 401, en: 'Sign in first.', zh: '请先登录。' },
  SESSION_EXPIRED: { status: 401, en: 'Your session has expired; sign in again.', zh: '会话已过期,请重新登录。' },
  INVALID_CREDENTIALS: { status: 401, en: 'Wrong user name or password.', zh: '用户名或密码错误。' },
  TOTP_REQUIRED: { status: 401, en: 'Enter the code from your authenticator app.', zh: '请输入身份验证器中的动态码。' },
  TOTP_INVALID: { status: 401, en: 'The authenticator code is wrong.', zh: '动态码错误。' },
  CSRF_FAILED: { status: 403, en: 'Missing or wrong CSRF token.', zh: 'CSRF 令牌缺失或错误。' },
  // {action} is English (a route summary or a verb phrase), so the Chinese text does not embed it
  FORBIDDEN: { status: 403, en: 'Your roles do not allow this: {action}.', zh: '您的角色无权执行此操作。' },
  PASSWORD_CHANGE_REQUIRED: {
    status: 403,
    en: 'Your password has expired; change it first.',
    zh: '密码已过期,请先修改密码。',
  },
  ACCOUNT_LOCKED: {
    status: 423,
    en: 'This account is locked after repeated failed sign-ins; ask an administrator.',
    zh: '多次登录失败,账户已锁定,请联系管理员。',
  },
  ACCOUNT_DISABLED: { status: 403, en: 'This account is disabled.', zh: '该账户已停用。' },
  NOT_FOUND: { status: 404, en: '{what} not found.', zh: '未找到{what}。' },
  CONFLICT: {
    status: 409,
    en: 'The record was changed by someone else; reload and try again.',
    zh: '记录已被他人修改,请刷新后重试。',
  },
  STALE_VERSION: {
    status: 409,
    en: 'You are looking at version {given}; the record is now at version {current}. Reload first.',
    zh: '您看到的是第 {given} 版,记录已是第 {current} 版,请先刷新。',
  },
  DUPLICATE: { status: 409, en: '{what} already exists.', zh: '{what}已存在。' },
  PASSWORD_TOO_SHORT: {
    status: 400,
    en: 'Passwords need at least {min} characters.',
    zh: '密码至少需要 {min} 个字符。',
  },
  PASSWORD_REUSED: {
    status: 400,
    en: 'This password was one of your last {count}; choose a new one.',
    zh: '不能使用最近 {count} 次用过的密码。',
  },
  SIGNATURE_NOT_ALLOWED: {
    status: 403,
    en: 'You may not sign this record as "{meaning}".',
    zh: '您无权以"{meaning}"签署此记录。',
  },
  // a signature attesting to one's own act (read and understood, performed) is never given for someone else
  PERSONAL_SIGNATURE: {
    status: 403,
    en: 'A "{meaning}" signature attests to your own act: it cannot be given on someone else\'s behalf.',
    zh: '“{meaning}”签名证明的是本人的行为,不能代表他人签署。',
  },
  // Separation of duties (ISO 13485 4.2.5, 21 CFR 820.80): one code; a lifecycle's separation rule names the duty
  // it keeps apart in its own words ({en}/{zh}, declared once with the rule), else the general text.
  SIGNER_IS_AUTHOR: {
    status: 409,
    en: (p: Params) => (typeof p.en === 'string' ? p.en : 'The author of a version cannot approve it.'),
    zh: (p: Params) => (typeof p.zh === 'string' ? p.zh : '作者不能批准自己编写的版本。'),
  },
  // the ledger settles races by retrying; past the retries the caller is told to try again
  RECORD_BUSY: { status: 503, en: 'The record is busy; try again.', zh: '记录正忙,请重试。' },
  NUMBERING_BUSY: { status: 503, en: 'Could not allocate a number; try again.', zh: '无法分配编号,请重试。' },
  RECORD_UNSTORABLE: {
    status: 409,
    en: 'This record\'s current state cannot be stored, so changes to it are refused until an administrator repairs it ("provenant ledger verify" names it).',
    zh: '该记录的当前状态无法保存,在管理员修复之前拒绝对其进行任何更改("provenant ledger verify" 会列出该记录)。',
  },
  ALREADY_SIGNED: {
    status: 409,
    en: 'You have already signed this version as "{meaning}".',
    zh: '您已以"{meaning}"签署过此版本。',
  },
  ILLEGAL_TRANSITION: {
    status: 409,
    en: 'Cannot {action} a record that is {state}.',
    zh: '记录处于"{state}"状态,不能执行"{action}"。',
  },
  PAYLOAD_TOO_LARGE: { status: 413, en: 'The file is larger than {max}.', zh: '文件超过 {max}。' },
  // {type}: a file or body of that type; reason 'encoding': a charset or encoding the body parser refuses; neither: a content type the address does not take
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    en: (p) =>
      p.reason === 'encoding'
        ? 'The request body is in an encoding or charset the server does not accept.'
        : p.type
          ? 'Files of type {type} are not accepted.'
          : 'The request body is of a content type this address does not accept.',
    zh: (p) =>
      p.reason === 'encoding'
        ? '服务器不接受该请求体的编码或字符集。'
        : p.type
          ? '不接受 {type} 类型的文件。'
          : '该地址不接受此内容类型的请求体。',
  },
  METHOD_NOT_ALLOWED: {
    status: 405,
    en: 'This address does not accept {method}; it accepts {allowed}.',
    zh: '此地址不接受 {method} 请求,仅接受 {allowed}。',
  },
  MALFORMED_URL: {
    status: 400,
    en: 'The address is not valid (malformed percent-encoding).',
    zh: '地址无效(百分号编码有误)。',
  },
  RATE_LIMITED: { status: 429, en: 'Too many requests; slow down.', zh: '请求过于频繁,请稍后再试。' },
  INTERNAL: {
    status: 500,
    en: 'Something went wrong on our side (request {requestId}).',
    zh: '服务器内部错误(请求 {requestId})。',
  },
} satisfies Record<string, Entry>;

export type ErrorCode = keyof typeof CATALOG;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode | string,
    readonly params: Params = {},
    readonly details?: unknown,
    status?: number,
  ) {
    // a refusal the client is told about, never a fault to trace: no stack (capturing one was 2% of
    // the server's CPU under load, the inbox asking each lifecycle check whether it would refuse)
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(code);
    Error.stackTraceLimit = limit;
    this.status = status ?? (CATALOG as Record<string, Entry>)[code]?.status ?? 400;
  }
  localized(locale: 'zh-CN' | 'en-US'): string {
    const entry = (CATALOG as Record<string, Entry>)[this.code];
    if (!entry) return String(this.params[locale === 'zh-CN' ? 'zh' : 'en'] ?? this.params.message ?? this.code);
    const message = locale === 'zh-CN' ? entry.zh : entry.en;
    const template = typeof message === 'function' ? message(this.params) : message;
    return template.replace(/\{(\w+)\}/g, (_, k: string) => String(this.params[k] ?? ''));
  }
}

/**
 * An error from a code and both texts given here. Codes are declared once, in a context's
 * errors.ts (defineErrors) or above: this is for the engine that throws a declared refusal it
 * holds as data (records/lifecycle.ts), not for new codes (errorCatalog.test.ts lists inline ones).
 */
export function domainError(code: string, en: string, zh: string, status = 409, details?: unknown): AppError {
  return new AppError(code, { message: en, en, zh }, details, status);
}

export const errors = {
  /** A field that fails a rule; say the issue in both languages ({ en, zh }) so Chinese screens show no English. */
  // `details` defaults to the one field, `[{path, message}]` in the request's language, as parseOrThrow gives for each zod issue
  validation: (path: string, issue: string | { en: string; zh: string }, details?: unknown) => {
    const texts = typeof issue === 'string' ? { en: issue, zh: issue } : issue; // a plain string is English only: say both
    return new AppError(
      'VALIDATION_FAILED',
      { path, issue: texts.en, issueZh: texts.zh },
      details ?? [{ path, message: currentLocale() === 'zh-CN' ? texts.zh : texts.en }],
    );
  },
  /** A request the server cannot take, said in both UI languages. */
  badRequest: (en: string, zh: string, status?: number) => new AppError('BAD_REQUEST', { en, zh }, undefined, status),
  unauthenticated: () => new AppError('UNAUTHENTICATED'),
  forbidden: (action: string) => new AppError('FORBIDDEN', { action }),
  notFound: (what: string) => new AppError('NOT_FOUND', { what }),
  conflict: (details?: unknown) => new AppError('CONFLICT', {}, details),
  duplicate: (what: string) => new AppError('DUPLICATE', { what }),
  staleVersion: (given: number, current: number) => new AppError('STALE_VERSION', { given, current }),
  illegalTransition: (action: string, state: string) => new AppError('ILLEGAL_TRANSITION', { action, state }),
};
