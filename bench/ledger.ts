import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import { startEmbeddedEngine } from '../server/src/platform/db/engine.ts';
import { connectDatabase, ensureIndexes } from '../server/src/platform/db/mongo.ts';
import { Ledger, EVENTS } from '../server/src/ledger/ledger.ts';
import { canonicalBytes, type LedgerEvent } from '../server/src/ledger/event.ts';
import { verifyAll } from '../server/src/ledger/verify.ts';
import { loadOrCreateSealKey, verifySeal } from '../server/src/ledger/sealKey.ts';
import { Checkpointer } from '../server/src/ledger/checkpoints.ts';
import { generatePki, unlockPki } from '../signatures/pki.ts';
import { localKeySigner } from '../signatures/signer.ts';
import { requestContext } from '../server/src/platform/context.ts';

// Ledger throughput against its own baselines, measured in the same run on the same engine:
//  - append (hash chain + Ed25519 seal + optimistic version + insert) vs raw insertOne of the same documents;
//  - verify (canonicalize + SHA-256 + chain checks) vs raw SHA-256 over the same canonical bytes.
// Targets: append >= 50% of raw insert; verify >= 50% of raw hashing. Also reported: seal
// verification (the part of `ledger verify` that needs the public key) and what a checkpoint
// costs, incremental (after a signature) and with a full scan (the periodic one).
export async function run(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      events: { type: 'string', default: '100000' },
      streams: { type: 'string', default: '1000' },
      concurrency: { type: 'string', default: '16' },
    },
  });
  const total = Number(values.events),
    streams = Number(values.streams),
    concurrency = Number(values.concurrency);
  const dir = mkdtempSync(path.join(tmpdir(), 'provenant-bench-'));
  const engine = await startEmbeddedEngine({ dataDir: dir });
  const database = await connectDatabase(engine.uri, 'bench');
  try {
    await ensureIndexes(database.db);
    const secret = 'provenant-bench-secret';
    const ledger = new Ledger(
      database.db,
      await loadOrCreateSealKey(path.join(dir, 'ledger-seal.key'), secret, async () => true),
    );
    const payload = (i: number) => ({
      lot: `LOT-2026-${String(i % 5000).padStart(5, '0')}`,
      qty: (i * 7) % 500,
      location: 'WH1-A-03',
      note: '输液器组件批次移动 / infusion set component move',
    });
    const actor = { id: 'bench', name: 'Bench Runner', role: 'system' };

    // 1+2. append through the ledger vs raw insertOne of the same documents into a collection
    // with the same unique index. Interleaved in rounds so both see the same machine load.
    const raw = database.db.collection('raw_events');
    await raw.createIndexes([{ key: { stream: 1, version: 1 }, name: 'stream_version', unique: true }]);
    const rounds = 10,
      perRound = Math.ceil(total / rounds);
    let appendMs = 0,
      rawMs = 0;
    for (let r = 0; r < rounds; r++) {
      const from = r * perRound,
        to = Math.min(total, from + perRound);
      const t0 = performance.now();
      const appended: LedgerEvent[] = new Array(to - from);
      await requestContext.run({ requestId: 'bench', locale: 'en-US', actor }, () =>
        parallel(
          concurrency,
          from,
          to,
          async (i) => {
            appended[i - from] = await ledger.append(`lot:bench-${i % streams}`, 'lot.moved', payload(i));
          },
          streams,
        ),
      );
      appendMs += performance.now() - t0;
      const t1 = performance.now();
      await parallel(
        concurrency,
        from,
        to,
        async (i) => {
          await raw.insertOne({ ...appended[i - from] });
        },
        streams,
      );
      rawMs += performance.now() - t1;
    }
    const stored = await database.db
      .collection<LedgerEvent>(EVENTS)
      .find({}, { projection: { _id: 0 } })
      .toArray();

    // checkpoints over `streams` heads: the first seals them all, then one stream changes
    const checkpointer = new Checkpointer(database.db, localKeySigner(unlockPki(generatePki(secret), secret)), {
      ledger,
    });
    await ledger.loadHeads(); // as at start-up: from here on the ledger knows every head
    await checkpointer.create(true);
    const cpMs = { incremental: Infinity, full: Infinity };
    for (let k = 0; k < 5; k++) {
      for (const full of [false, true]) {
        await requestContext.run({ requestId: 'bench', locale: 'en-US', actor }, () =>
          ledger.append('lot:bench-0', 'lot.moved', payload(k)),
        );
        const t = performance.now();
        await checkpointer.create(false, full);
        cpMs[full ? 'full' : 'incremental'] = Math.min(cpMs[full ? 'full' : 'incremental'], performance.now() - t);
      }
    }

    // 3. verify vs raw hashing of the same canonical bytes
    stored.sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : a.version - b.version));
    const bytes = stored.map((e) => canonicalBytes(e));
    // best of 5, alternating, so that a busy neighbour hurts both sides alike
    let findings = -1,
      verifyMs = Infinity,
      hashMs = Infinity,
      sealMs = Infinity,
      badSeals = -1;
    for (let k = 0; k < 5; k++) {
      let t = performance.now();
      findings = verifyAll(stored).findings.length;
      verifyMs = Math.min(verifyMs, performance.now() - t);
      t = performance.now();
      for (const b of bytes) createHash('sha256').update(b).digest('hex');
      hashMs = Math.min(hashMs, performance.now() - t);
      if (k > 1) continue; // slow enough that two runs tell
      t = performance.now();
      badSeals = stored.filter((e) => !verifySeal(ledger.sealer!.publicKey, e.hash, e.seal)).length;
      sealMs = Math.min(sealMs, performance.now() - t);
    }

    const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
    const appendRatio = rawMs / appendMs,
      verifyRatio = hashMs / verifyMs;
    console.log(`ledger bench: ${total} events in ${streams} streams, ${concurrency} writers, engine FerretDB/SQLite`);
    console.log(
      `  append (ledger)        ${rate(total, appendMs).toLocaleString('en')} events/s   (${(appendMs / 1000).toFixed(1)} s)`,
    );
    console.log(
      `  raw insertOne          ${rate(total, rawMs).toLocaleString('en')} events/s   (${(rawMs / 1000).toFixed(1)} s)`,
    );
    console.log(
      `  append / raw insert    ${(appendRatio * 100).toFixed(0)}%   target >= 50%  ${appendRatio >= 0.5 ? 'PASS' : 'MISS'}`,
    );
    console.log(
      `  verify (chains)        ${rate(total, verifyMs).toLocaleString('en')} events/s   (${verifyMs.toFixed(0)} ms, ${findings} findings)`,
    );
    console.log(
      `  raw SHA-256            ${rate(total, hashMs).toLocaleString('en')} events/s   (${hashMs.toFixed(0)} ms)`,
    );
    console.log(
      `  verify / raw hashing   ${(verifyRatio * 100).toFixed(0)}%   target >= 50%  ${verifyRatio >= 0.5 ? 'PASS' : 'MISS'}`,
    );
    console.log(
      `  verify (seals)         ${rate(stored.length, sealMs).toLocaleString('en')} events/s   (${sealMs.toFixed(0)} ms, Ed25519, ${badSeals} bad)`,
    );
    console.log(
      `  checkpoint             ${cpMs.incremental.toFixed(1)} ms incremental, ${cpMs.full.toFixed(1)} ms with a full scan   (${streams} streams, ${stored.length} events)`,
    );
    if (findings !== 0 || badSeals !== 0) throw new Error('the benchmark ledger did not verify');
  } finally {
    await database.close();
    await engine.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `task(i)` for i in [from, to) with `workers` in flight; worker w takes the i with i % streams % workers === w. */
async function parallel(
  workers: number,
  from: number,
  to: number,
  task: (i: number) => Promise<void>,
  streams: number,
) {
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = from; i < to; i++) if ((i % streams) % workers === w) await task(i);
    }),
  );
}
