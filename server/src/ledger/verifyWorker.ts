import { parentPort, workerData } from 'node:worker_threads';
import type { LedgerEvent } from './event.ts';
import { verifyAll } from './verify.ts';
import { sealFindings } from './sealVerify.ts';

// One worker of parallelVerify.ts: verifies the batches of whole streams it is sent with exactly
// the checks of `ledger verify` on one thread (verifyAll: hashes and chains; sealFindings: seals).
const { sealKey, legacy } = workerData as { sealKey?: string; legacy: Array<[string, number]> };
const legacyMap = new Map(legacy);
parentPort!.on('message', (msg: { id: number; events: LedgerEvent[] }) => {
  const chains = verifyAll(msg.events);
  const seals = sealFindings(msg.events, sealKey, legacyMap);
  parentPort!.postMessage({
    id: msg.id,
    findings: chains.findings,
    sealFindings: seals.findings,
    unverifiable: seals.unverifiable,
    streams: chains.streams,
    events: chains.events,
    heads: [...chains.heads.values()].map((e) => [e.stream, e.version, e.hash]),
  });
});
