import type { Logger } from './logger.ts';

/**
 * The last line of defence, not the first: sources handle their own errors (streams, parsers,
 * timers, background jobs). Should one slip through, it is logged with what we know and the
 * server keeps serving for a rejected promise (one request or job failed, nothing else is in
 * doubt). An uncaught exception leaves the process in an unknown state (Node's own guidance),
 * so it is logged and the process exits non-zero for the supervisor to restart it: the ledger
 * loses nothing (every acknowledged write is appended before it is answered).
 */
export function installSafetyNet(logger: Logger, stop: () => Promise<void>) {
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason }, 'unhandled promise rejection (kept serving)');
  });
  process.on('uncaughtException', (err, origin) => {
    logger.fatal({ err, origin }, 'uncaught exception: stopping');
    void stop().finally(() => process.exit(70)); // EX_SOFTWARE
    setTimeout(() => process.exit(70), 5000).unref();
  });
}
