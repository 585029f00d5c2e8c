import { z } from 'zod';

// Every setting comes from the environment and is validated once at boot: a validated system
// must refuse to start on a configuration nobody intended (e.g. a typo in an idle timeout).
const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  MONGODB_URI: z.string().url().optional(),
  DB_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('provenant'),
  DATA_DIR: z.string().default('./data'),
  FERRETDB_BIN: z.string().optional(),
  // Encrypts the server's private signing key at rest. Required in production.
  PROVENANT_SECRET: z.string().min(16).optional(),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  // fractional days are allowed so that tests can watch a password age within seconds
  PASSWORD_MAX_AGE_DAYS: z.coerce.number().positive().max(3650).default(90),
  LOCKOUT_THRESHOLD: z.coerce.number().int().min(1).max(100).default(5),
  // at most a week: Node's timers overflow past 2^31 ms (24.8 days) and would then fire every millisecond
  CHECKPOINT_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(604_800).default(600),
  // The Ed25519 key that seals every ledger event, kept outside the database (encrypted with
  // PROVENANT_SECRET). Default ${DATA_DIR}/ledger-seal.key; servers sharing one database mount the same file.
  LEDGER_SEAL_KEY_FILE: z.string().optional(),
  // A second append-only witness of every checkpoint, besides ${DATA_DIR}/ledger-witness.log
  // (another disk or a mount backed up elsewhere).
  LEDGER_WITNESS_FILE: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // json for machines, pretty for people; auto = pretty when stdout is a terminal
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  PROVENANT_SEED: z.enum(['auto', 'never']).default('auto'),
  // log2 of scrypt's N for new password hashes (each hash records its own, so old ones still verify)
  PASSWORD_HASH_COST: z.coerce.number().int().min(12).max(20).default(15),
  LOGIN_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
  PUBLIC_URL: z.string().url().optional(),
  // Behind a TLS-terminating reverse proxy: trust its X-Forwarded-Proto/-For/-Host (Koa app.proxy),
  // so that requests count as secure and rate limits see the client's address. Off by default:
  // without a proxy these headers come from the client and must not be believed.
  TRUST_PROXY: z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
  // roles that may approve / review each document type (modules/documents/signerRoles.ts); QA by default
  DOCUMENT_APPROVER_ROLES: z.string().max(2000).optional(),
  DOCUMENT_REVIEWER_ROLES: z.string().max(2000).optional(),
  // Notification e-mail (modules/notifications): no SMTP_HOST, no e-mail (in-app only). The password is never logged.
  SMTP_HOST: z.string().max(255).optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  SMTP_SECURE: z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
  SMTP_USER: z.string().max(255).optional(),
  SMTP_PASSWORD: z.string().max(1000).optional(),
  SMTP_FROM: z.string().max(320).optional(),
  // seconds between notification passes (0: off); unset: 30, and off under NODE_ENV=test
  NOTIFY_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(86_400).optional(),
  // the UTC hour of the daily digest e-mail
  NOTIFY_DIGEST_HOUR: z.coerce.number().int().min(0).max(23).default(7),
});

export type Config = z.infer<typeof ConfigSchema> & { secret: string };

const DEV_SECRET = 'provenant-development-secret-do-not-use-in-production';

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // an empty variable means unset (shells and CI templates often export VAR=)
  const parsed = ConfigSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  if (c.NODE_ENV === 'production' && !c.PROVENANT_SECRET) {
    throw new ConfigError('Invalid configuration:\n  PROVENANT_SECRET: required in production (≥ 16 characters)');
  }
  return { ...c, secret: c.PROVENANT_SECRET ?? DEV_SECRET };
}
