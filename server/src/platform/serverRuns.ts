import { hostname } from 'node:os';
import type { Db } from 'mongodb';
import { holderOf } from './lease.ts';
import type { Services } from './services.ts';

/**
 * Which app servers are running on this database, so that a start can tell whether the previous
 * ones stopped cleanly. One small document per running server in `server_runs`, found by _id,
 * its `beatAt` renewed every BEAT_MS; a clean stop removes it (this is operational state, like a
 * lease, not evidence: the ledger is untouched). A document left behind means a server died
 * between two writes: its projections may be behind the ledger (an append written, its
 * projection not), so that start repairs them before it answers anything.
 *
 * A document is a crashed run when its process is gone: same host and no such pid (checked with
 * signal 0), or, for another host (several servers on one MongoDB), no beat for STALE_MS. A
 * document of a live peer is left alone.
 */
export const SERVER_RUNS = 'server_runs';
export const BEAT_MS = 10_000;
const STALE_MS = 3 * BEAT_MS;

interface RunDoc {
  _id: string;
  host: string;
  pid: number;
  startedAt: Date;
  beatAt: Date;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

function crashed(d: RunDoc, now: number): boolean {
  if (d.host === hostname() && d.pid !== process.pid) return !alive(d.pid);
  // another host, or another server inside this process (tests run two): only its beat tells
  return now - new Date(d.beatAt).getTime() > STALE_MS;
}

export interface ServerRun {
  /** Runs of earlier servers that ended without a clean stop (their documents, removed by `recovered`). */
  crashed: string[];
  /** The crashed runs' repair is done: forget them. */
  recovered(): Promise<void>;
  /** A clean stop: this run's document goes. */
  stop(): Promise<void>;
}

/** Registers this server's run and names the earlier runs that crashed. */
export async function beginRun(s: Pick<Services, 'db'> & object): Promise<ServerRun> {
  const col = (s.db as Db).collection<RunDoc>(SERVER_RUNS);
  const now = Date.now();
  // a handful of documents (the servers running now and any that crashed): a scan is cheap
  const others = await col.find({}).toArray();
  const dead = others.filter((d) => crashed(d, now)).map((d) => d._id);
  const me = holderOf(s as Services);
  const at = new Date();
  await col.insertOne({ _id: me, host: hostname(), pid: process.pid, startedAt: at, beatAt: at });
  const timer = setInterval(() => {
    col.updateOne({ _id: me }, { $set: { beatAt: new Date() } }).catch(() => undefined); // a missed beat only ages it
  }, BEAT_MS);
  timer.unref();
  return {
    crashed: dead,
    async recovered() {
      if (dead.length) await col.deleteMany({ _id: { $in: dead } });
    },
    async stop() {
      clearInterval(timer);
      await col.deleteOne({ _id: me });
    },
  };
}
