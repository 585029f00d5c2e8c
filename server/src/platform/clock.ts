import { AsyncLocalStorage } from 'node:async_hooks';

// The one source of "now" for everything the system records: ledger events, command and journal
// times, signatures, checkpoints, leases, due dates and "today" (platform/dates.ts todayUtc).
// Durations and timers (performance.now, Date.now for elapsed time) do not come from here.
//
// Outside `withSimulatedTime` — every HTTP request, every real process — now() is the machine's
// clock. 21 CFR 11.10(e) requires audit-trail times to be the system's own computer-generated
// times, so nothing reachable from the API can move this clock: `withSimulatedTime` is called only
// by the demo seed (seed/timeline.ts), and only while it loads the demo company into an EMPTY
// database (seed/index.ts seedIfEmpty refuses a database that holds any user). The simulated
// history is demo data and says so: the seed records a `seed.simulated_clock` event naming the
// simulated span.
//
// The simulated time lives in an AsyncLocalStorage, so it follows the seed's own async calls and
// nothing else: a request served while the seed runs is in its own async context and sees the real
// clock. A timer or promise continuation started inside the seed that outlives it is switched off
// when `withSimulatedTime` returns (`active` = false), so a simulated time can never leak.

interface Simulation {
  /** The simulated time at the moment of entering. */
  start: number;
  /** The real time at the moment of entering (so order within a simulated day is kept). */
  enteredAt: number;
  active: boolean;
}

const simulation = new AsyncLocalStorage<Simulation>();

/** The current time: the machine's clock, or inside `withSimulatedTime` start + real time elapsed. */
export function now(): Date {
  const sim = simulation.getStore();
  const real = Date.now();
  return new Date(sim?.active ? sim.start + (real - sim.enteredAt) : real);
}

/** now() as an ISO 8601 UTC string (the form every recorded time takes). */
export const nowIso = (): string => now().toISOString();

/** Whether now() is simulated here (only inside the demo seed). */
export const isSimulated = (): boolean => simulation.getStore()?.active === true;

/**
 * Runs `fn` with now() = `start` + real time elapsed since entering. For the demo seed only (see
 * the header): never call it from a request path. A start in the future is refused, so a simulated
 * event can never be dated after the real events that follow it.
 */
export async function withSimulatedTime<T>(start: Date, fn: () => Promise<T>): Promise<T> {
  const at = start.getTime();
  if (!Number.isFinite(at)) throw new Error('withSimulatedTime: invalid start');
  if (at > Date.now()) throw new Error('withSimulatedTime: a simulated time cannot be in the future');
  const sim: Simulation = { start: at, enteredAt: Date.now(), active: true };
  try {
    return await simulation.run(sim, fn);
  } finally {
    sim.active = false;
  }
}
