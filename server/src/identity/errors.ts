import { domainError } from '../platform/errors.ts';

// Refusals of the identity context that the shared catalog does not hold, in both UI languages.
export const refusals = {
  httpsRequired: () => domainError('HTTPS_REQUIRED',
    'Sign-in needs an HTTPS connection. Behind a TLS-terminating proxy, set TRUST_PROXY=1 and have the proxy send X-Forwarded-Proto.',
    '登录需要 HTTPS 连接。若在终止 TLS 的反向代理之后运行,请设置 TRUST_PROXY=1,并让代理发送 X-Forwarded-Proto。', 403),
  totpReused: () => domainError('TOTP_REUSED',
    'This authenticator code was already used; wait for the next one.',
    '该动态码已使用过,请等待下一个动态码。', 401),
  totpNotStarted: () => domainError('TOTP_ENROLMENT_NOT_STARTED',
    'Start the authenticator enrolment first (it expires after 10 minutes).',
    '请先开始绑定身份验证器(10 分钟后失效)。', 409),
  totpNotEnrolled: () => domainError('TOTP_NOT_ENROLLED',
    'No authenticator is enrolled for this account.', '该账户未绑定身份验证器。', 409),
  selfChange: () => domainError('SELF_CHANGE_REFUSED',
    'You cannot change your own roles, status, password or second factor as an administrator; another administrator must do it.',
    '管理员不能更改自己的角色、状态、密码或双因素认证,须由另一位管理员操作。', 403),
  lastAdministrator: () => domainError('LAST_ADMINISTRATOR',
    'This is the last active administrator; it cannot be disabled or lose the administrator role.',
    '这是最后一位在用的系统管理员,不能停用或移除其管理员角色。', 409),
};
