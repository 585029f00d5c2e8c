import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { LedgerEvent } from './event.ts';
import type { Finding } from './verify.ts';
import { unverifiableFinding } from './sealVerify.ts';

// `ledger verify`'s per-event work (each event's hash, its chain link, its seal where no verified
// checkpoint covers it) spread over worker threads, stream by stream: events come in sorted by
// stream then version (a database cursor), are cut into batches of whole streams and handed to the
// least busy worker, with at most two batches in flight per worker so memory stays flat whatever
// the ledger's size. The checks are those of verifyAll + verifySeals, run unchanged in each worker
// (verifyWorker.ts); findings come back in stream order, the same list the single-threaded
// verification gives.
export interface ParallelVerifyResult {
  /** Chain findings (verifyAll), in stream order. */
  findings: Finding[];
  /** Seal findings (verifySeals), in stream order, with the one "cannot be checked" finding last. */
  sealFindings: Finding[];
  streams: number;
  events: number;
  heads: Map<string, { version: number; hash: string }>;
  /** Seals verified, and seals left to the verified checkpoint that covers their event (sealVerify.ts). */
  seals: { checked: number; covered: number };
}

export interface ParallelVerifyOptions {
  sealKey?: string;
  legacy?: Map<string, number>;
  /** The heads verified checkpoints sealed: the seals of the events up to them are not checked (sealVerify.ts); absent: every seal. */
  sealed?: Map<string, { version: number; hash: string }>;
  /** Worker threads; default: the cores available. */
  workers?: number;
  /** Events per batch (a batch always holds whole streams). */
  batchEvents?: number;
}

interface Reply {
  id: number;
  findings: Finding[];
  sealFindings: Finding[];
  unverifiable: number;
  sealsChecked: number;
  sealsCovered: number;
  streams: number;
  events: number;
  heads: Array<[string, number, string]>;
}

// from source, a bootstrap registers the TypeScript loader in the worker first (verifyWorkerBoot.mjs)
const WORKER = new URL(
  import.meta.url.endsWith('.ts') ? './verifyWorkerBoot.mjs' : './verifyWorker.js',
  import.meta.url,
);

export async function verifyParallel(
  sorted: AsyncIterable<LedgerEvent> | Iterable<LedgerEvent>,
  opts: ParallelVerifyOptions = {},
): Promise<ParallelVerifyResult> {
  const count = Math.max(1, opts.workers ?? availableParallelism());
  const batchEvents = opts.batchEvents ?? 2000;
  const workerData = {
    sealKey: opts.sealKey,
    legacy: [...(opts.legacy ?? new Map())],
    sealed: opts.sealed && [...opts.sealed].map(([stream, h]) => [stream, h.version, h.hash]),
  };
  const workers = Array.from({ length: count }, () => new Worker(WORKER, { workerData }));
  const inFlight = workers.map(() => 0);
  const replies = new Map<number, Reply>();
  const waiting: Array<() => void> = [];
  let failure: unknown = null;
  for (const [w, worker] of workers.entries()) {
    worker.on('message', (r: Reply) => {
      replies.set(r.id, r);
      inFlight[w]--;
      waiting.shift()?.();
    });
    worker.on('error', (err) => {
      failure ??= err;
      for (const wake of waiting.splice(0)) wake();
    });
  }
  let sent = 0;
  const send = async (events: LedgerEvent[]) => {
    for (;;) {
      if (failure) throw failure;
      const w = inFlight.indexOf(Math.min(...inFlight));
      if (inFlight[w] < 2) {
        inFlight[w]++;
        workers[w].postMessage({ id: sent++, events });
        return;
      }
      await new Promise<void>((wake) => waiting.push(wake));
    }
  };
  try {
    let batch: LedgerEvent[] = [];
    for await (const e of sorted) {
      if (batch.length >= batchEvents && batch[batch.length - 1].stream !== e.stream) {
        await send(batch);
        batch = [];
      }
      batch.push(e);
    }
    if (batch.length) await send(batch);
    while (replies.size < sent) {
      if (failure) throw failure;
      await new Promise<void>((wake) => waiting.push(wake));
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  const result: ParallelVerifyResult = {
    findings: [],
    sealFindings: [],
    streams: 0,
    events: 0,
    heads: new Map(),
    seals: { checked: 0, covered: 0 },
  };
  let unverifiable = 0;
  for (let id = 0; id < sent; id++) {
    const r = replies.get(id)!;
    result.findings.push(...r.findings);
    result.sealFindings.push(...r.sealFindings);
    unverifiable += r.unverifiable;
    result.seals.checked += r.sealsChecked;
    result.seals.covered += r.sealsCovered;
    result.streams += r.streams;
    result.events += r.events;
    for (const [stream, version, hash] of r.heads) result.heads.set(stream, { version, hash });
  }
  result.sealFindings.push(...unverifiableFinding(unverifiable));
  return result;
}
