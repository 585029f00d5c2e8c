import { parentPort, workerData } from 'node:worker_threads';
import type { LedgerEvent } from './event.ts';
import { verifyAll } from './verify.ts';
import { sealFindings } from './sealVerify.ts';

// One worker of parallelVerify.ts: verifies the batches of whole streams it is sent with exactly
// the checks of `ledger verify` on one thread (verifyAll: hashes and chains; sealFindings: the
// seals of the events no verified checkpoint covers, or every seal when `sealed` is absent).
const { sealKey, legacy, sealed } = workerData as {
  sealKey?: string;
  legacy: Array<[string, number]>;
  sealed?: Array<[string, number, string]>;
};
const legacyMap = new Map(legacy);
const sealedMap = sealed && new Map(sealed.map(([stream, version, hash]) => [stream, { version, hash }]));
parentPort!.on('message', (msg: { id: number; events: LedgerEvent[] }) => {
  const chains = verifyAll(msg.events);
  const seals = sealFindings(
    msg.events,
    sealKey,
    legacyMap,
    sealedMap && { sealed: sealedMap, suspect: new Set(chains.findings.map((f) => f.stream)) },
  );
  parentPort!.postMessage({
    id: msg.id,
    findings: chains.findings,
    sealFindings: seals.findings,
    unverifiable: seals.unverifiable,
    sealsChecked: seals.checked,
    sealsCovered: seals.covered,
    streams: chains.streams,
    events: chains.events,
    heads: [...chains.heads.values()].map((e) => [e.stream, e.version, e.hash]),
  });
});
