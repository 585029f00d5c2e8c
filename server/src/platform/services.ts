import type { Db } from 'mongodb';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { Projector } from '../records/projector.ts';
import type { Checkpointer } from '../ledger/checkpoints.ts';
import type { Signer } from '../../../signatures/signer.ts';
import type { CredentialStore } from '../identity/credentials.ts';
import type { SessionStore } from '../identity/sessions.ts';

/** Everything a route or command needs, built once at boot (server/src/boot.ts). */
export interface Services {
  config: Config;
  logger: Logger;
  db: Db;
  ledger: Ledger;
  projector: Projector;
  checkpointer: Checkpointer;
  signer: Signer;
  credentials: CredentialStore;
  sessions: SessionStore;
  engine: string;
  version: string;
}
