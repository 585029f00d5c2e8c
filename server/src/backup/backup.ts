import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BSON } from 'mongodb';
import type { Services } from '../platform/services.ts';
import { EVENTS } from '../ledger/ledger.ts';
import { CHECKPOINTS } from '../ledger/checkpoints.ts';
import { sealKeyFile, witnessOf } from '../ledger/sealing.ts';
import { RECORD_TYPES } from '../records/types.ts';
import { streamOf } from '../records/registry.ts';
import { ArchiveWriter, FORMAT, readLedgerHead, type Manifest } from './archive.ts';
import { nowIso } from '../platform/clock.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** Not backed up: signed-in sessions (a restored cookie must not sign anyone in; everyone signs in again). */
export const EXCLUDED = ['sessions'];
const FILE_CHUNK = 48 * 1024;

function commit(): string | null {
  if (process.env.PROVENANT_COMMIT) return process.env.PROVENANT_COMMIT;
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' }).trim() || null;
  } catch {
    return null;
  }
}

/**
 * Writes a backup of the whole database to `out` (never over an existing file: it is written
 * to `out.partial-<pid>` and renamed when complete). Consistency without transactions (FerretDB
 * 1.24 on SQLite has neither multi-document transactions nor snapshot reads, and the same code
 * must run on MongoDB): the last checkpoint and then every stream's head are read FIRST; events
 * beyond those heads, checkpoints after that one and witness lines after it are left out, and a
 * projection already ahead of its stream's head is left out too (restore brings it level from the
 * ledger, as start-up does after a crash). Writes that land during the backup are thus excluded,
 * and the archive is the ledger as of its head: the same cut a crash at that instant would leave.
 */
export async function writeBackup(s: Services, out: string, passphrase?: string): Promise<Manifest> {
  if (existsSync(out)) throw new Error(`${out} already exists; a backup never overwrites a file`);
  const { head, heads } = await readLedgerHead(s.db);
  const tmp = `${out}.partial-${process.pid}`;
  const w = await ArchiveWriter.open(tmp, passphrase);
  try {
    const projections = new Map(RECORD_TYPES.map((t) => [t.collection, t.type]));
    const names = (await s.db.listCollections({}, { nameOnly: true }).toArray())
      .map((c) => c.name)
      .filter((n) => !n.startsWith('system.') && !EXCLUDED.includes(n))
      .sort();
    for (const name of names) {
      await w.begin(`collection/${name}`, 'collection', name);
      const type = projections.get(name);
      let deferred = 0;
      for await (const doc of s.db.collection(name).find({})) {
        if (name === EVENTS && doc.version > (heads.get(doc.stream as string) ?? 0)) continue;
        if (name === CHECKPOINTS && doc.seq > (head.checkpoint?.seq ?? 0)) continue;
        if (type && typeof doc.ledgerVersion === 'number') {
          if (doc.ledgerVersion > (heads.get(streamOf(type, String(doc._id))) ?? 0)) {
            deferred++;
            continue;
          }
        }
        await w.item(BSON.EJSON.stringify(doc, { relaxed: false }));
      }
      await w.end(deferred ? { deferred } : {});
    }
    // outside the database: the key that seals every event, and the checkpoints' witness
    const keyFile = sealKeyFile(s.config);
    if (existsSync(keyFile)) await filePart(w, 'file/seal-key', 'seal-key', readFileSync(keyFile));
    const witnessed = witnessOf(s.config)
      .read()
      .checkpoints.filter((c) => c.seq <= (head.checkpoint?.seq ?? 0));
    if (witnessed.length)
      await filePart(
        w,
        'file/witness',
        'witness',
        Buffer.from(witnessed.map((c) => `${JSON.stringify(c)}\n`).join('')),
      );
    const manifest: Manifest = {
      format: FORMAT,
      product: { name: 'provenant', version: s.version, commit: commit() },
      createdAt: nowIso(),
      engine: s.engine,
      database: s.config.DB_NAME,
      head,
      parts: w.parts,
      excluded: EXCLUDED,
    };
    await w.close(manifest);
    renameSync(tmp, out);
    return manifest;
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

async function filePart(w: ArchiveWriter, name: string, role: string, bytes: Buffer) {
  await w.begin(name, 'file', role);
  for (let i = 0; i < bytes.length; i += FILE_CHUNK) await w.item(bytes.subarray(i, i + FILE_CHUNK).toString('base64'));
  await w.end({ bytes: bytes.length });
}
