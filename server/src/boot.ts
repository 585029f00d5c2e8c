import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from './platform/config.ts';
import { createLogger } from './platform/logger.ts';
import { startEmbeddedEngine, type EmbeddedEngine } from './platform/db/engine.ts';
import { connectDatabase, ensureIndexes } from './platform/db/mongo.ts';
import type { Services } from './platform/services.ts';
import { Ledger } from './ledger/ledger.ts';
import { Checkpointer } from './ledger/checkpoints.ts';
import { loadSealer, witnessOf } from './ledger/sealing.ts';
import { SIGNATURE_EVENT } from '../../signatures/esign/service.ts';
import { Projector } from './records/projector.ts';
import { checkProjectionsAtStart } from './records/projectionRepair.ts';
import { CredentialStore } from './identity/credentials.ts';
import { SessionStore } from './identity/sessions.ts';
import { loadOrCreateIdentity } from '../../signatures/pki.ts';
import { localKeySigner } from '../../signatures/signer.ts';
import { registerSealCertificate } from '../../signatures/esign/seal.ts';
import { configureDocumentSigners } from './modules/documents/signerRoles.ts';
import { setTrainingAssigner } from './modules/documents/trainingAssignment.ts';
import { assignTraining } from './modules/training/trainingService.ts';
import { registerAllRecordTypes } from './records/types.ts';
import { setPasswordHashCost } from './identity/passwords.ts';
import { startNotifier } from './modules/notifications/outbox.ts';
import { installChangeFeed } from './records/memoryIndex.ts';
import { runOnce } from './platform/lease.ts';
import { beginRun } from './platform/serverRuns.ts';
import { assertNoCrashHook, repairJournal } from './records/commandJournal.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const VERSION: string = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;

export interface Booted {
  services: Services;
  /** The start-up checks that run while the server answers (heads, projections): settled when done. */
  settled: Promise<void>;
  stop(): Promise<void>;
}

/** Starts the engine (embedded unless MONGODB_URI), connects, and builds every service. */
export async function boot(
  config: Config,
  opts: {
    engineDir?: string | 'memory';
    projectionCheck?: boolean;
    /**
     * false: no projection check while answering after a clean stop (the API tests start each file
     * on a fresh copy of a template whose projections were written by the projector and left
     * unchanged; re-checking the whole demo ledger cost ~4 s per file). A previous crash is still
     * checked before answering. Servers and the CLI never pass it.
     */
    liveCheck?: boolean;
  } = {},
): Promise<Booted> {
  registerAllRecordTypes();
  assertNoCrashHook();
  const logger = createLogger(config.LOG_LEVEL, config.LOG_FORMAT);
  setPasswordHashCost(config.PASSWORD_HASH_COST);
  let engine: EmbeddedEngine | null = null;
  let uri = config.MONGODB_URI;
  if (!uri) {
    engine = await startEmbeddedEngine({
      dataDir: opts.engineDir ?? config.DATA_DIR,
      bin: config.FERRETDB_BIN,
      log: (msg, fields) => logger.warn(fields, msg),
    });
    uri = engine.uri;
    logger.info({ socket: engine.socketPath, enginePid: engine.pid }, 'embedded FerretDB started');
  }
  const database = await connectDatabase(uri, config.DB_NAME);
  const db = database.db;
  await ensureIndexes(db);
  const signer = localKeySigner(await loadOrCreateIdentity(db, config.secret));
  // every event is sealed with a key kept outside the database: no key, no start (issue 9, finding 16)
  const sealer = await loadSealer(config, db, signer, logger).catch(async (err) => {
    await database.close().catch(() => undefined);
    await engine?.stop();
    throw err;
  });
  const ledger = new Ledger(db, sealer);
  ledger.onListenerError = (err, e) =>
    logger.error({ err, stream: e.stream, version: e.version }, 'projection failed; will catch up');
  const projector = new Projector(db, ledger);
  projector.onUnstorable = (u) =>
    logger.error(
      { stream: u.stream, version: u.version, reason: u.reason },
      `the projection of ${u.stream} cannot be stored; writes to this record are refused until it is repaired (see "provenant ledger verify")`,
    );
  registerSealCertificate(signer.certPem, signer.fingerprint); // reducers count only signatures this certificate sealed
  configureDocumentSigners(config);
  setTrainingAssigner(assignTraining); // training reads documents; documents reach training only through this
  const checkpointer = new Checkpointer(db, signer, {
    ledger,
    witness: witnessOf(config),
    onWitnessError: (err) => logger.error({ err }, 'a checkpoint witness file could not be written'),
  });
  // a checkpoint after every signature, not only on the timer: it seals the signature at once
  ledger.onAppended(async (e) => {
    if (e.type === SIGNATURE_EVENT)
      await checkpointer
        .create(false, false, true)
        .catch((err) => logger.error({ err }, 'checkpoint after a signature failed'));
  });
  const services: Services = {
    config,
    logger,
    db,
    ledger,
    projector,
    checkpointer,
    signer,
    credentials: new CredentialStore(db, config.secret),
    sessions: new SessionStore(db, config.SESSION_IDLE_MINUTES * 60_000),
    engine: engine ? 'ferretdb-sqlite' : 'mongodb',
    version: VERSION,
  };
  installChangeFeed(services); // after the projector's listener: other servers' indexes learn of each append
  // a command a crash interrupted between its writes is completed before anything reads the records
  await repairJournal(services, logger);
  // Start-up does not scan the ledger (issue 14 item 6: ready in seconds with a million events).
  // Heads are learnt by _id lookups until the background scan has them all; projections are
  // checked against the ledger before answering only when a previous server died without a
  // clean stop (a crash can leave an append without its projection), else while answering.
  // The CLI's verify and rebuild skip all of it: they check (and repair) the projections themselves.
  const checking = opts.projectionCheck !== false;
  const run = checking ? await beginRun(services) : null;
  let stopping = false;
  let settled: Promise<void> = Promise.resolve();
  if (run?.crashed.length) {
    logger.warn(
      { runs: run.crashed.length },
      'a previous server stopped without a clean stop: projections are checked against the ledger before start',
    );
    await checkProjectionsAtStart(services, logger);
    await run.recovered();
  } else if (checking && opts.liveCheck !== false) {
    settled = checkProjectionsAtStart(services, logger, { live: true }).then(
      (r) => logger.info(r, 'start-up projection check done'),
      (err) => {
        if (!stopping) logger.error({ err }, 'start-up projection check failed; "provenant ledger verify" checks them');
      },
    );
  }
  let timer: NodeJS.Timeout | null = null;
  if (config.CHECKPOINT_INTERVAL_SECONDS > 0) {
    // one server takes the timed checkpoint (lease held for three periods, renewed on each)
    const every = config.CHECKPOINT_INTERVAL_SECONDS * 1000;
    timer = setInterval(() => {
      runOnce(services, 'ledger.checkpoint', every * 3, () => checkpointer.create(false, true)).catch((err) =>
        logger.error({ err }, 'checkpoint failed'),
      );
    }, every);
    timer.unref();
  }
  const notifier = startNotifier(services); // new inbox tasks → the outbox → e-mail (first pass sends what a crash left queued)
  return {
    services,
    settled,
    async stop() {
      stopping = true;
      if (timer) clearInterval(timer);
      notifier.stop();
      await run?.stop().catch((err) => logger.warn({ err }, 'this server run could not be marked stopped'));
      await database.close().catch(() => undefined);
      await engine?.stop();
    },
  };
}
