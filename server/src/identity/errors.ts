import { defineErrors } from '../platform/errorCatalog.ts';

// The identity context's domain errors, each declared once; the sign-in and credential codes
// every context meets (INVALID_CREDENTIALS, TOTP_REQUIRED, ACCOUNT_LOCKED…) are in the shared
// catalog (platform/errors.ts).
export const IdentityErrors = defineErrors('identity', {
  HTTPS_REQUIRED: {
    status: 403,
    en: 'Sign-in needs an HTTPS connection. Behind a TLS-terminating proxy, set TRUST_PROXY=1 and have the proxy send X-Forwarded-Proto.',
    zh: '登录需要 HTTPS 连接。若在终止 TLS 的反向代理之后运行,请设置 TRUST_PROXY=1,并让代理发送 X-Forwarded-Proto。',
  },
  // RFC 6238 §5.2: a code is accepted once
  TOTP_REUSED: {
    status: 401,
    en: 'This authenticator code was already used; wait for the next one.',
    zh: '该动态码已使用过,请等待下一个动态码。',
  },
  TOTP_ENROLMENT_NOT_STARTED: {
    status: 409,
    en: 'Start the authenticator enrolment first (it expires after 10 minutes).',
    zh: '请先开始绑定身份验证器(10 分钟后失效)。',
  },
  TOTP_NOT_ENROLLED: {
    status: 409,
    en: 'No authenticator is enrolled for this account.',
    zh: '该账户未绑定身份验证器。',
  },
  // nobody grants themselves a role or resets their own factor (a second administrator must)
  SELF_CHANGE_REFUSED: {
    status: 403,
    en: 'You cannot change your own roles, status, password or second factor as an administrator; another administrator must do it.',
    zh: '管理员不能更改自己的角色、状态、密码或双因素认证,须由另一位管理员操作。',
  },
  LAST_ADMINISTRATOR: {
    status: 409,
    en: 'This is the last active administrator; it cannot be disabled or lose the administrator role.',
    zh: '这是最后一位在用的系统管理员,不能停用或移除其管理员角色。',
  },
});
