import type { Services } from '../platform/services.ts';
import { AppError, errors } from '../platform/errors.ts';
import type { Actor } from '../platform/context.ts';
import type { LedgerEvent } from '../ledger/event.ts';
import { fold } from './projector.ts';
import { recordTypeOf } from './registry.ts';
import { now as clockNow } from '../platform/clock.ts';

// Ledger idioms every context uses: unique claims, sequences (numbers), and the optimistic
// read-check-append that the command path (command.ts) is built on.
export const isRace = (err: unknown) => ['CONFLICT', 'STALE_VERSION'].includes((err as { code?: string }).code ?? '');
const pause = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * 8 * Math.min(attempt + 1, 12)));

/** Claims `stream` (its version 1, by default a bare claim); a second claim is DUPLICATE `what`. */
export async function claim(
  s: Services,
  stream: string,
  data: Record<string, unknown>,
  what: string,
  actor?: Actor,
  type = 'claimed',
) {
  try {
    await s.ledger.append(stream, type, data, { expectedVersion: 0, actor });
  } catch (err) {
    if (isRace(err)) throw errors.duplicate(what);
    throw err;
  }
}

/** The next number of sequence `name`: the version of the event that allocated it. */
export async function nextSequence(s: Services, name: string, actor?: Actor): Promise<number> {
  return (await s.ledger.appendWithRetry(`sequence:${name}`, 'sequence.allocated', {}, { actor })).version;
}

/** A yearly number like PO-2026-00042 (sequence per prefix and year). */
export async function yearlyNumber(s: Services, prefix: string, actor?: Actor): Promise<string> {
  const y = clockNow().getUTCFullYear();
  return `${prefix}-${y}-${String(await nextSequence(s, `${prefix.toLowerCase()}.${y}`, actor)).padStart(5, '0')}`;
}

/** One event a command appends; `reason` lands on the event's envelope. */
export interface Change {
  type: string;
  data: Record<string, unknown>;
  reason?: string;
}

/**
 * Optimistic append on one stream: folds the stream from the ledger (authoritative, never a
 * lagging projection), lets `decide` check the rules and return the event, and appends it with
 * expectedVersion = the version read. On a lost race it re-reads and decides again, so a rule
 * ("quantity never negative") is always judged on the state the event lands on.
 */
export async function mutate<S>(
  s: Services,
  stream: string,
  actor: Actor | undefined,
  decide: (state: S | undefined, version: number) => Change | null | Promise<Change | null>,
): Promise<LedgerEvent | null> {
  const t = recordTypeOf(stream);
  if (!t) throw errors.notFound('record');
  for (let attempt = 0; ; attempt++) {
    const events = await s.ledger.read(stream);
    const state = fold(t, events) as S | undefined;
    const change = await decide(state, events.length);
    if (!change) return null;
    try {
      return await s.ledger.append(stream, change.type, change.data, {
        expectedVersion: events.length,
        actor,
        reason: change.reason,
      });
    } catch (err) {
      if (!isRace(err)) throw err;
      if (attempt >= 60) throw new AppError('RECORD_BUSY');
      await pause(attempt);
    }
  }
}
