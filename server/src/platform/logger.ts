import pino from 'pino';
import PinoPretty from 'pino-pretty';

export type LogFormat = 'auto' | 'json' | 'pretty';

// JSON logs for machines (a log shipper, a file, CI); one readable line per entry when a person
// watches a terminal. `auto` picks by whether stdout is a terminal. Secrets never reach either:
// the redact list names every field that could carry one.
export function createLogger(level: string, format: LogFormat = 'auto') {
  const options = {
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
  };
  const pretty = format === 'pretty' || (format === 'auto' && process.stdout.isTTY === true);
  if (!pretty) return pino(options);
  return pino(
    options,
    PinoPretty({ colorize: process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }),
  );
}
export type Logger = ReturnType<typeof createLogger>;
