import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestServer, TEST_ENV } from '../../test/harness.ts';
import { provenant } from '../../test/cli.ts';
import { startEmbeddedEngine, type EmbeddedEngine } from '../platform/db/engine.ts';
import { connectDatabase, type Database } from '../platform/db/mongo.ts';
import type { Services } from '../platform/services.ts';
import { VERSION } from '../boot.ts';
import { getBlob } from '../modules/documents/contentStore.ts';
import { cast, newDocumentBody, passRevision, upload } from '../modules/documents/documents.factory.ts';
import { readLedgerHead, type Manifest } from './archive.ts';
import { validateArchive } from './restore.ts';

// Backup → fresh data directory → restore → a server on it, through the real CLI and the real
// engine; and every damaged, truncated, wrongly-keyed or misdirected restore refused with nothing written.
const PASS_VAR = 'PROVENANT_TEST_BACKUP_PASSPHRASE';
const PASSPHRASE = 'correct horse battery staple';
const work = mkdtempSync(path.join(tmpdir(), 'provenant-backup-'));
const plain = path.join(work, 'plain.pvbak');
const sealed = path.join(work, 'sealed.pvbak');
const freshDir = () => mkdtempSync(path.join(work, 'target-'));
const restoreInto = (dir: string, file: string, env: Record<string, string> = {}, args: string[] = []) =>
  provenant(['restore', file, ...args], { ...TEST_ENV(), DATA_DIR: dir, MONGODB_URI: '', ...env });

/** The target holds no document in any collection and none of the files a restore writes. */
async function nothingWritten(dir: string) {
  expect(existsSync(path.join(dir, 'ledger-seal.key'))).toBe(false);
  expect(existsSync(path.join(dir, 'ledger-witness.log'))).toBe(false);
  const engine = await startEmbeddedEngine({ dataDir: dir, bin: process.env.FERRETDB_BIN });
  const database = await connectDatabase(engine.uri, 'provenant');
  try {
    const filled: string[] = [];
    for (const c of await database.db.listCollections({}, { nameOnly: true }).toArray())
      if (await database.db.collection(c.name).findOne({})) filled.push(c.name);
    expect(filled).toEqual([]);
  } finally {
    await database.close();
    await engine.stop();
  }
}

// The source is the seeded demo database on its own engine, started here without an app server
// (one app server per test process: the restored one); the CLI backs it up while it runs.
const srcDir = freshDir();
let engine: EmbeddedEngine;
let source: Database;
let docId = '';
let rev = '';
let content: Buffer;
let manifest: Manifest;

beforeAll(async () => {
  const template = process.env.PROVENANT_TEST_TEMPLATE;
  if (template && existsSync(template)) cpSync(template, srcDir, { recursive: true });
  else expect(provenant(['seed'], { ...TEST_ENV(), DATA_DIR: srcDir, MONGODB_URI: '' }).code).toBe(0);
  engine = await startEmbeddedEngine({ dataDir: srcDir, bin: process.env.FERRETDB_BIN });
  source = await connectDatabase(engine.uri, 'provenant');
  const doc = await source.db
    .collection<{ _id: string; revisions: Array<{ revision: string; file?: { sha256: string } }> }>('documents')
    .findOne({ 'revisions.file.sha256': { $exists: true } });
  docId = doc!._id;
  const r = doc!.revisions.find((x) => x.file)!;
  rev = r.revision;
  content = await getBlob({ db: source.db } as Services, r.file!.sha256);
  expect(content.length).toBeGreaterThan(0);
}, 300_000);
afterAll(async () => {
  await source?.close();
  await engine?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('provenant backup', () => {
  it('writes a plain and an encrypted archive of the running server, with a manifest and the ledger head', async () => {
    const env = { ...TEST_ENV(), DATA_DIR: srcDir, MONGODB_URI: `mongodb://${encodeURIComponent(engine.socketPath)}/` };
    const a = provenant(['backup', '--out', plain], env);
    expect(a.out).toMatch(/wrote .*plain\.pvbak: \d+ parts/);
    expect(a.code).toBe(0);
    const b = provenant(['backup', '--out', sealed, '--passphrase-env', PASS_VAR], { ...env, [PASS_VAR]: PASSPHRASE });
    expect(b.code).toBe(0);
    expect(b.out).toContain('(encrypted)');
    expect(b.out).not.toContain(PASSPHRASE); // never logged
    // the passphrase is never a command-line argument
    expect(provenant(['backup', '--out', path.join(work, 'x'), '--passphrase', PASSPHRASE], env).code).toBe(2);
    // never over an existing file
    expect(provenant(['backup', '--out', plain], env).code).toBe(2);

    manifest = (await validateArchive(plain)).manifest;
    const names = manifest.parts.map((p) => p.name);
    for (const part of [
      'collection/ledger_events',
      'collection/ledger_checkpoints',
      'collection/blobs',
      'collection/users',
      'collection/credentials',
      'collection/pki',
      'collection/documents',
      'file/seal-key',
      'file/witness',
    ])
      expect(names).toContain(part);
    expect(names).not.toContain('collection/sessions');
    for (const p of manifest.parts) expect(p.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.head).toEqual((await readLedgerHead(source.db)).head);
    expect(manifest.head.events).toBeGreaterThan(100);
    expect(manifest.product.version).toBe(VERSION);
    // the encrypted archive holds no readable text
    expect(readFileSync(sealed).includes(Buffer.from('ledger_events'))).toBe(false);
    expect((await validateArchive(sealed, PASSPHRASE)).manifest.head).toEqual(manifest.head);
  }, 180_000);
});

describe('provenant restore', () => {
  const damaged = (name: string, f: (b: Buffer) => Buffer, from = plain) => {
    const file = path.join(work, name);
    writeFileSync(file, f(readFileSync(from)));
    return file;
  };

  it('refuses a flipped byte, a truncated archive, an unknown format, a wrong or missing passphrase: nothing written', async () => {
    const flip = (at: number) => (b: Buffer) => {
      const c = Buffer.from(b);
      c[at] ^= 0x01;
      return c;
    };
    const cases: Array<[string, string, RegExp, Record<string, string>?, string[]?]> = [
      ['flipped byte', damaged('flip.pvbak', (b) => flip(Math.floor(b.length / 2))(b)), /damaged|does not match/],
      [
        'flipped byte, encrypted',
        damaged('flip2.pvbak', (b) => flip(b.length - 100)(b), sealed),
        /damaged|altered/,
        { [PASS_VAR]: PASSPHRASE },
        ['--passphrase-env', PASS_VAR],
      ],
      ['truncated', damaged('cut.pvbak', (b) => b.subarray(0, Math.floor(b.length * 0.6))), /truncated|damaged/],
      [
        'unknown format',
        damaged('v9.pvbak', (b) => Buffer.from(b.toString('latin1').replace('BACKUP 1', 'BACKUP 9'), 'latin1')),
        /unknown backup format/,
      ],
      [
        'wrong passphrase',
        sealed,
        /wrong passphrase/,
        { [PASS_VAR]: 'not the passphrase at all' },
        ['--passphrase-env', PASS_VAR],
      ],
      ['no passphrase', sealed, /encrypted/],
    ];
    const dir = freshDir();
    for (const [what, file, message, env, args] of cases) {
      const r = restoreInto(dir, file, env, args);
      expect(r.out, what).toMatch(message);
      expect(r.out, what).toContain('nothing was written');
      expect(r.code, what).toBe(1);
    }
    await nothingWritten(dir);
  }, 240_000);

  it('restores into an empty directory: ledger verified, head equal to the manifest, content byte-identical, sign-in and signing work', async () => {
    const dir = freshDir();
    const r = restoreInto(dir, sealed, { [PASS_VAR]: PASSPHRASE }, ['--passphrase-env', PASS_VAR]);
    expect(r.out).toContain('ledger verified');
    expect(r.out).toContain('the ledger head equals the backup manifest');
    expect(r.code).toBe(0);
    expect(provenant(['ledger', 'verify'], { ...TEST_ENV(), DATA_DIR: dir, MONGODB_URI: '' }).code).toBe(0);

    const dst = await startTestServer({ dataDir: dir, keepData: true });
    try {
      expect((await readLedgerHead(dst.services.db)).head).toEqual(manifest.head);
      const k = await cast(dst.url); // the demo users sign in with the demo password
      const file = await k.qa.bytes(`/api/v1/documents/${docId}/revisions/${rev}/content`);
      expect(file.status).toBe(200);
      expect(file.body.equals(content)).toBe(true);
      // a new document taken through review and approval: signatures with the demo password
      const created = await k.author.post('/api/v1/documents', newDocumentBody(k.ids));
      expect(created.status).toBe(201);
      expect((await upload(k.author, created.body.id)).status).toBe(200);
      await passRevision(k, created.body.id);
      const d = (await k.qa.get(`/api/v1/documents/${created.body.id}`)).body;
      expect(d.revisions[0].state).not.toBe('draft');
      const sigs = (await k.qa.get(`/api/v1/records/document:${created.body.id}/signatures`)).body;
      expect(sigs.length).toBeGreaterThan(0);
      expect((await k.qa.get('/api/v1/ledger/verify')).body.ok).toBe(true);
    } finally {
      await dst.stop();
    }

    // the restored directory is no longer empty: a second restore is refused and changes nothing
    const before = readdirSync(dir).sort();
    const again = restoreInto(dir, plain);
    expect(again.out).toMatch(/not empty/);
    expect(again.out).toContain('nothing was written');
    expect(again.code).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(before);
    rmSync(dir, { recursive: true, force: true });
  }, 300_000);
});
