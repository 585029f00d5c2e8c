import path from 'node:path';
import type { Db } from 'mongodb';
import type { Config } from '../platform/config.ts';
import type { Logger } from '../platform/logger.ts';
import type { Signer } from '../../../signatures/signer.ts';
import { EVENTS, Ledger } from './ledger.ts';
import { Checkpointer } from './checkpoints.ts';
import { loadOrCreateSealKey, type EventSealer } from './sealKey.ts';
import { Witness, witnessFiles } from './witness.ts';

export const sealKeyFile = (config: Config) =>
  path.resolve(config.LEDGER_SEAL_KEY_FILE ?? path.join(config.DATA_DIR, 'ledger-seal.key'));
export const witnessOf = (config: Config) => new Witness(witnessFiles(config.DATA_DIR, config.LEDGER_WITNESS_FILE));

/**
 * The seal key, created only while no event carries a seal (an empty ledger, or one written
 * before events were sealed). For the latter, a checkpoint without a seal key first covers every
 * event written so far, so `ledger verify` accepts them unsealed and nothing after them.
 */
export async function loadSealer(config: Config, db: Db, signer: Signer, logger: Logger): Promise<EventSealer> {
  const file = sealKeyFile(config);
  return loadOrCreateSealKey(file, config.secret, async () => {
    const events = db.collection(EVENTS);
    if (!(await events.findOne({}, { projection: { _id: 1 } }))) return true;
    if (await events.findOne({ seal: { $exists: true } }, { projection: { _id: 1 } })) return false;
    const legacy = new Ledger(db);
    await new Checkpointer(db, signer, { ledger: legacy, witness: witnessOf(config) }).create(true, true);
    logger.warn(
      { file },
      'the ledger was written before events were sealed: a checkpoint now covers those events, and every new event is sealed with a new key',
    );
    return true;
  });
}
