import { createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { GENESIS_HASH, hashEvent, type LedgerEvent } from './event.ts';
import { sealBytes, type EventSealer } from './sealKey.ts';
import { canonicalCopy } from './event.ts';

// Sealed, chained events made without a database, for the verification tests and benchmarks:
// the same hashing and sealing the ledger applies on append (keys in canonical order).

/** A throwaway Ed25519 seal key, sealing as sealKey.ts does. */
export function throwawaySealer(): EventSealer {
  const { privateKey } = generateKeyPairSync('ed25519');
  const publicKey = createPublicKey(privateKey).export({ format: 'jwk' }).x!;
  return { publicKey, seal: (hash) => sign(null, sealBytes(hash), privateKey).toString('base64') };
}

/** `total` events over `streams` streams, yielded sorted by stream then version (as a cursor gives them). */
export function* syntheticEvents(total: number, streams: number, sealer?: EventSealer): Generator<LedgerEvent> {
  const per = Math.ceil(total / streams);
  let made = 0;
  for (let s = 0; s < streams && made < total; s++) {
    const stream = `lot:bench-${String(s).padStart(7, '0')}`;
    let prevHash = GENESIS_HASH;
    for (let v = 1; v <= per && made < total; v++, made++) {
      const body = canonicalCopy({
        stream,
        version: v,
        type: 'lot.moved',
        at: new Date(Date.UTC(2026, 0, 1) + made * 1000).toISOString(),
        actor: { id: 'bench', name: 'Bench Runner', role: 'system' },
        data: {
          lot: `LOT-2026-${String(made % 5000).padStart(5, '0')}`,
          qty: (made * 7) % 500,
          location: 'WH1-A-03',
          note: '输液器组件批次移动 / infusion set component move',
        },
        prevHash,
      });
      const hash = hashEvent(body);
      yield { ...body, hash, ...(sealer ? { seal: sealer.seal(hash) } : {}) };
      prevHash = hash;
    }
  }
}
