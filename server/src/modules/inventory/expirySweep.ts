import type { Services } from '../../platform/services.ts';
import { sweepExpired } from './service.ts';
import { runOnce } from '../../platform/lease.ts';

const timers = new WeakMap<Services, NodeJS.Timeout>();

/** Expires lots past their date at start-up and then hourly (reads also sweep, so nobody sees a stale status). */
export function startExpirySweep(s: Services, everyMs = 3_600_000) {
  if (timers.has(s)) return;
  // once across servers: only the holder of the lease sweeps on the timer (reads still sweep anywhere)
  const run = () => {
    runOnce(s, 'inventory.expirySweep', everyMs * 3, () => sweepExpired(s)).catch((err) =>
      s.logger.warn({ err }, 'expiry sweep failed'),
    );
  };
  run();
  const t = setInterval(run, everyMs);
  t.unref();
  timers.set(s, t);
  s.db.client?.once('topologyClosed', () => {
    clearInterval(t);
    timers.delete(s);
  });
}
