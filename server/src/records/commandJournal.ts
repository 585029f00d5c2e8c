import { randomUUID } from 'node:crypto';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Collection } from 'mongodb';
import type { Services } from '../platform/services.ts';
import type { Logger } from '../platform/logger.ts';
import { Ledger } from '../ledger/ledger.ts';
import { canonicalize } from '../ledger/canonical.ts';
import { hashEvent, type LedgerEvent } from '../ledger/event.ts';
import { verifySeal } from '../ledger/sealKey.ts';
import { nowIso } from '../platform/clock.ts';

/**
 * Crash safety of commands that write more than one event (issue 14 item 5): a receipt and its
 * lots and inspections, an issue on the lot and on the work order, a completion and its output
 * lots, a shipment on each lot and on the order, a disposition and the lot it scraps.
 *
 * The command runs once with every append computed but not written (Ledger.capture: versions,
 * hashes and seals, each judged on the state the earlier planned appends create). Then:
 *
 *   1. one journal entry lists every planned event, in order (`command_journal`);
 *   2. the events are written, each exactly as planned;
 *   3. the entry is removed.
 *
 * At the next start (boot.ts, before serving) every entry still there is rolled forward: each
 * planned event not yet in its stream is written, so there is never a receipt without its lots
 * nor an issue recorded on one side only. The repair is idempotent (an event already written is
 * recognised by its hash, or by its content when it was chained anew) and survives its own crash.
 *
 * Why a collection and not the ledger: the journal is a write-ahead note, not a record — the
 * state change it describes IS the ledger events it lists, written as ordinary hash-chained,
 * sealed events; an entry is useless once they are written, and the ledger never forgets. It
 * gives an attacker with database write access nothing: the repair writes a planned event only
 * when its hash matches its content and its seal verifies with the key kept outside the
 * database (sealKey.ts), i.e. only an event this server computed; anything else is refused and
 * logged. One write of one event needs no journal.
 */
export const COMMAND_JOURNAL = 'command_journal';

interface JournalEntry {
  _id: string;
  at: string;
  events: LedgerEvent[];
}
const journal = (s: Pick<Services, 'db'>): Collection<JournalEntry> => s.db.collection<JournalEntry>(COMMAND_JOURNAL);

/** Streams whose events a refused command still writes (a failed signature attempt, a lockout: 21 CFR 11.300(d)). */
const KEPT_ON_REFUSAL = (stream: string) => stream.startsWith('user:') || stream.startsWith('security:');

class PlanConflict extends Error {}

/**
 * Runs `fn` (a command and everything it causes) so that its writes land all or, after a crash,
 * are completed at the next start. Inside another journaled command, `fn` joins it.
 */
export async function journaled<T>(s: Services, fn: () => Promise<T>): Promise<T> {
  if (Ledger.isCapturing()) return fn();
  for (let attempt = 0; ; attempt++) {
    const run = await s.ledger.capture(fn);
    if (!run.ok) {
      // nothing of a refused command is written but the account-security events it caused
      for (const e of run.events.filter((x) => KEPT_ON_REFUSAL(x.stream))) await s.ledger.rechain(e);
      throw run.error;
    }
    try {
      await write(s, run.events);
      return run.result;
    } catch (err) {
      // another writer took a version before anything of ours was written: judge everything again
      if (!(err instanceof PlanConflict) || attempt >= 30) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 8 * Math.min(attempt + 1, 12)));
    }
  }
}

async function write(s: Services, events: LedgerEvent[]) {
  if (events.length === 0) return;
  if (events.length === 1) {
    await writeEvents(s, events, { crashHook: false });
    return;
  }
  const id = randomUUID();
  await journal(s).insertOne({ _id: id, at: nowIso(), events });
  try {
    await writeEvents(s, events, { crashHook: true });
  } catch (err) {
    // nothing written (a conflict on the first event): the entry has nothing to repair
    if (err instanceof PlanConflict) await journal(s).deleteOne({ _id: id });
    throw err;
  }
  // not awaited: every event is written, so an entry left by a crash or a failed delete is cleared at
  // the next start (repairJournal finds its events written); the command answers one round trip sooner
  void journal(s)
    .deleteOne({ _id: id })
    .catch((err) => s.logger.warn({ err }, 'command journal entry left for the next start to clear'));
}

/**
 * Writes planned events in order. The first one must land where it was planned (else
 * PlanConflict: nothing written, the command is judged again); once one is written the rest
 * are written whatever happens meanwhile, chained anew where their version was taken.
 */
/** The command being written, and which of its events is being written now (for `laterInCommand`). */
const writing = new AsyncLocalStorage<{ events: LedgerEvent[]; at: number }>();

/**
 * True while a command's events are written and one written after `now` (the event a listener is
 * told of) matches `pred`: a listener whose work a later event repeats may leave it to that one
 * (the change feed announces a record once per command, records/memoryIndex.ts).
 */
export function laterInCommand(pred: (e: LedgerEvent) => boolean): boolean {
  const w = writing.getStore();
  return !!w && w.events.slice(w.at + 1).some(pred);
}

function writeEvents(s: Services, events: LedgerEvent[], o: { crashHook: boolean; repair?: boolean }) {
  return writing.run({ events, at: -1 }, () => writeEach(s, events, o));
}

async function writeEach(s: Services, events: LedgerEvent[], o: { crashHook: boolean; repair?: boolean }) {
  let wrote = false;
  let appended = 0;
  const w = writing.getStore()!;
  for (const [i, e] of events.entries()) {
    w.at = i;
    if (o.repair && (await isWritten(s, e))) {
      wrote = true;
      continue;
    }
    const head = await s.ledger.head(e.stream);
    const fits = (head?.version ?? 0) === e.version - 1 && (head ? head.hash === e.prevHash : e.version === 1);
    let done = false;
    if (fits) {
      try {
        await s.ledger.insertPlanned(e);
        done = true;
      } catch (err) {
        if ((err as { code?: string }).code !== 'CONFLICT') throw err;
      }
    }
    if (!done) {
      if (!wrote && !o.repair) throw new PlanConflict();
      await s.ledger.rechain(e);
    }
    wrote = true;
    appended++;
    if (o.crashHook) crashAfter(appended);
  }
}

/** The planned event is in its stream: at its version with its hash, or later with its content (chained anew). */
async function isWritten(s: Services, e: LedgerEvent): Promise<boolean> {
  const head = await s.ledger.head(e.stream);
  if (!head || head.version < e.version) return false;
  const events = await s.ledger.read(e.stream, head.version, { fresh: true });
  if (events[e.version - 1]?.hash === e.hash) return true;
  const content = contentOf(e);
  return events.slice(e.version).some((x) => contentOf(x) === content);
}
const contentOf = (e: LedgerEvent) =>
  canonicalize({ type: e.type, at: e.at, actor: e.actor, data: e.data, reason: e.reason ?? null });

/**
 * Tests only (NODE_ENV=test): PROVENANT_CRASH_AFTER_APPENDS=n kills this process (SIGKILL, no
 * clean-up of any kind) right after the n-th write of a journaled command.
 */
function crashAfter(appended: number) {
  const n = crashPoint();
  if (n !== null && appended === n) process.kill(process.pid, 'SIGKILL');
}
function crashPoint(): number | null {
  const raw = process.env.PROVENANT_CRASH_AFTER_APPENDS;
  if (!raw || process.env.NODE_ENV !== 'test') return null;
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : null;
}

/** Refuses the crash hook outside tests, so a stray variable can never kill a real server. */
export function assertNoCrashHook() {
  if (process.env.PROVENANT_CRASH_AFTER_APPENDS && process.env.NODE_ENV !== 'test')
    throw new Error('PROVENANT_CRASH_AFTER_APPENDS is a test hook: it is refused unless NODE_ENV=test');
}

/**
 * At start, before serving: rolls every unfinished journal entry forward (each planned event
 * not yet written is written, in order), then removes it. An entry whose events this server did
 * not compute (hash or seal does not verify) is left in place and reported.
 */
export async function repairJournal(s: Services, logger?: Logger): Promise<{ repaired: number; refused: number }> {
  let repaired = 0,
    refused = 0;
  const entries = await journal(s).find({}).toArray();
  for (const entry of entries.sort((a, b) => a.at.localeCompare(b.at))) {
    const bad = entry.events.find(
      (e) =>
        hashEvent(e) !== e.hash || (s.ledger.sealer ? !verifySeal(s.ledger.sealer.publicKey, e.hash, e.seal) : false),
    );
    if (bad) {
      refused++;
      logger?.error(
        { entry: entry._id, stream: bad.stream, version: bad.version },
        'a command journal entry holds an event this server did not seal; it is not written (see "provenant ledger verify")',
      );
      continue;
    }
    await writeEvents(s, entry.events, { crashHook: false, repair: true });
    await journal(s).deleteOne({ _id: entry._id });
    repaired++;
    logger?.warn(
      { entry: entry._id, events: entry.events.length, streams: [...new Set(entry.events.map((e) => e.stream))] },
      'completed a command interrupted by a crash',
    );
  }
  return { repaired, refused };
}
