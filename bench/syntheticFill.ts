import { startEmbeddedEngine } from '../server/src/platform/db/engine.ts';
import { connectDatabase } from '../server/src/platform/db/mongo.ts';
import { EVENTS, eventId } from '../server/src/ledger/ledger.ts';
import { syntheticEvents } from '../server/src/ledger/synthetic.ts';
import { GENESIS_HASH, hashEvent } from '../server/src/ledger/event.ts';

/**
 * Writes `total` chained events over `streams` streams straight into the engine of the stopped
 * data directory `dir`, in batches (a server appending them one by one would take an hour).
 * Streams of no record type (`bench:`): what the ledger and its scans see of them is real (a
 * chained, hashed event of the usual size); projections do not replay them. Their seal is a
 * placeholder of the right size: start-up and pages do not check seals of such streams.
 * Returns the milliseconds it took.
 */
export async function fillSyntheticEvents(dir: string, total: number, streams: number): Promise<number> {
  const t0 = performance.now();
  const engine = await startEmbeddedEngine({ dataDir: dir });
  const database = await connectDatabase(engine.uri, 'provenant');
  try {
    const col = database.db.collection(EVENTS);
    const seal = 'x'.repeat(88); // the size of an Ed25519 seal in base64
    let batch: object[] = [];
    const flush = async () => {
      if (batch.length) await col.insertMany(batch, { ordered: false });
      batch = [];
    };
    let prevHash = GENESIS_HASH;
    for (const made of syntheticEvents(total, streams)) {
      const { hash: _h, ...body } = { ...made, stream: made.stream.replace('lot:', 'bench:') };
      if (body.version === 1) prevHash = GENESIS_HASH;
      const e = { ...body, prevHash };
      prevHash = hashEvent(e);
      batch.push({ _id: eventId(e.stream, e.version), ...e, hash: prevHash, seal });
      if (batch.length === 2000) await flush();
    }
    await flush();
  } finally {
    await database.close();
    await engine.stop();
  }
  return performance.now() - t0;
}
