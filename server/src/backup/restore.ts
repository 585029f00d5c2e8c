import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BSON, type Document } from 'mongodb';
import type { Config } from '../platform/config.ts';
import { startEmbeddedEngine, type EmbeddedEngine } from '../platform/db/engine.ts';
import { connectDatabase, type Database } from '../platform/db/mongo.ts';
import { sealKeyFile } from '../ledger/sealing.ts';
import { witnessFiles } from '../ledger/witness.ts';
import { loadOrCreateSealKey } from '../ledger/sealKey.ts';
import { ArchiveError, readArchive, type Entry, type LedgerHead, type Manifest } from './archive.ts';

export class RestoreRefused extends Error {}

const BATCH_DOCS = 500;
const BATCH_BYTES = 8 * 1024 * 1024;

/** Reads the whole archive, checking every hash, without writing anything; returns the manifest and its files. */
export async function validateArchive(
  file: string,
  passphrase?: string,
): Promise<{ manifest: Manifest; files: Map<string, Buffer> }> {
  const files = new Map<string, Buffer>();
  let current: { role: string; chunks: Buffer[] } | null = null;
  const it = readArchive(file, passphrase);
  for (;;) {
    const r = await it.next();
    if (r.done) return { manifest: r.value, files };
    const e: Entry = r.value;
    if (e.t === 'part') current = e.kind === 'file' ? { role: e.target, chunks: [] } : null;
    else if (e.t === 'item' && current) current.chunks.push(Buffer.from(e.text, 'base64'));
    else if (e.t === 'end' && current) {
      files.set(current.role, Buffer.concat(current.chunks));
      current = null;
    }
  }
}

async function connect(config: Config): Promise<{ database: Database; engine: EmbeddedEngine | null }> {
  let engine: EmbeddedEngine | null = null;
  let uri = config.MONGODB_URI;
  if (!uri) {
    engine = await startEmbeddedEngine({ dataDir: config.DATA_DIR, bin: config.FERRETDB_BIN });
    uri = engine.uri;
  }
  try {
    return { database: await connectDatabase(uri, config.DB_NAME), engine };
  } catch (err) {
    await engine?.stop();
    throw err;
  }
}

/** What is already in the target: non-empty collections and files a restore would overwrite. */
async function occupied(config: Config, database: Database): Promise<string[]> {
  const found: string[] = [];
  for (const c of await database.db.listCollections({}, { nameOnly: true }).toArray()) {
    if (c.name.startsWith('system.')) continue;
    if (await database.db.collection(c.name).findOne({}, { projection: { _id: 1 } }))
      found.push(`collection ${c.name}`);
  }
  const key = sealKeyFile(config);
  if (existsSync(key)) found.push(`seal key file ${key}`);
  for (const w of witnessFiles(config.DATA_DIR, config.LEDGER_WITNESS_FILE))
    if (existsSync(w) && statSync(w).size > 0) found.push(`witness file ${w}`);
  return found;
}

/**
 * Restores `file` into the configured database, which must be empty. Everything is checked
 * before the first write: every part's hash, the whole archive's hash and GCM tag, the manifest,
 * that the seal key opens with this PROVENANT_SECRET, and that the target is empty. Only then is
 * the archive read a second time and written; should that fail (the file changed in between, the
 * database failed), what was written is removed again. Returns the manifest.
 */
export async function restoreArchive(config: Config, file: string, passphrase?: string): Promise<Manifest> {
  if (!existsSync(file)) throw new RestoreRefused(`${file} does not exist`);
  const { manifest, files } = await validateArchive(file, passphrase);
  const sealKey = files.get('seal-key');
  if (manifest.head.events > 0 && !sealKey)
    throw new ArchiveError('the archive holds a ledger but not the seal key file: it is partial');
  if (sealKey) {
    // the seal key (like the PKI keys in the database) is encrypted with PROVENANT_SECRET
    const dir = mkdtempSync(path.join(tmpdir(), 'provenant-restore-'));
    try {
      const probe = path.join(dir, 'ledger-seal.key');
      writeFileSync(probe, sealKey, { mode: 0o600 });
      await loadOrCreateSealKey(probe, config.secret, async () => false);
    } catch {
      throw new RestoreRefused(
        'the backed-up keys cannot be opened with this PROVENANT_SECRET: restore with the secret of the server that made the backup',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const { database, engine } = await connect(config);
  const written: string[] = [];
  const filesWritten: string[] = [];
  try {
    const found = await occupied(config, database);
    if (found.length)
      throw new RestoreRefused(
        `the target is not empty (${found.slice(0, 5).join(', ')}${found.length > 5 ? ', …' : ''}): ` +
          'restore only into an empty database (a new DATA_DIR, or a new DB_NAME on MongoDB); nothing was written',
      );
    try {
      await writeParts(database, file, passphrase, written);
      if (sealKey) {
        const key = sealKeyFile(config);
        mkdirSync(path.dirname(key), { recursive: true });
        writeFileSync(key, sealKey, { mode: 0o600, flag: 'wx' });
        filesWritten.push(key);
      }
      const witness = files.get('witness');
      if (witness)
        for (const w of witnessFiles(config.DATA_DIR, config.LEDGER_WITNESS_FILE)) {
          mkdirSync(path.dirname(w), { recursive: true });
          writeFileSync(w, witness, { mode: 0o600, flag: 'wx' });
          filesWritten.push(w);
        }
    } catch (err) {
      for (const name of written) await database.db.dropCollection(name).catch(() => undefined);
      for (const f of filesWritten) rmSync(f, { force: true });
      throw err;
    }
  } finally {
    await database.close().catch(() => undefined);
    await engine?.stop();
  }
  return manifest;
}

async function writeParts(database: Database, file: string, passphrase: string | undefined, written: string[]) {
  let col: string | null = null;
  let batch: Document[] = [];
  let bytes = 0;
  const flush = async () => {
    if (col && batch.length) await database.db.collection(col).insertMany(batch, { ordered: true });
    batch = [];
    bytes = 0;
  };
  const it = readArchive(file, passphrase);
  for (;;) {
    const r = await it.next();
    if (r.done) break;
    const e = r.value;
    if (e.t === 'part') {
      col = e.kind === 'collection' ? e.target : null;
      if (col) {
        written.push(col);
        await database.db.createCollection(col).catch(() => undefined);
      }
    } else if (e.t === 'item' && col) {
      batch.push(BSON.EJSON.parse(e.text, { relaxed: false }) as Document);
      bytes += e.text.length;
      if (batch.length >= BATCH_DOCS || bytes >= BATCH_BYTES) await flush();
    } else if (e.t === 'end') {
      await flush();
      col = null;
    }
  }
}

/** The same head, field by field (the ledger after restore must be exactly the backed-up one). */
export const sameHead = (a: LedgerHead, b: LedgerHead) =>
  a.streams === b.streams &&
  a.events === b.events &&
  a.headsSha256 === b.headsSha256 &&
  a.checkpoint?.seq === b.checkpoint?.seq &&
  a.checkpoint?.hash === b.checkpoint?.hash &&
  a.checkpoint?.root === b.checkpoint?.root;
