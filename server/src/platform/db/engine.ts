import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';

// The embedded engine: FerretDB 1.24 on SQLite, a real MongoDB wire-protocol server that the app
// starts itself when MONGODB_URI is unset (dev, demo, tests, small sites).
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
export const DEFAULT_FERRETDB_BIN = path.join(ROOT, 'tools/ferretdb/bin/ferretdb');

export interface EmbeddedEngine { uri: string; port: number; stop(): Promise<void> }

export class EngineMissingError extends Error {
  constructor(bin: string) {
    super(`The embedded database engine is not built (${bin} is missing).\n` +
      `Build it with:  npm run build:engine   (needs Go and the Go module proxy; ~2 min)\n` +
      `or point Provenant at MongoDB with MONGODB_URI=mongodb://…`);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts FerretDB with its SQLite files under `dataDir` (or in memory) and waits until it answers. */
export async function startEmbeddedEngine(opts: { dataDir: string | 'memory'; bin?: string; port?: number }): Promise<EmbeddedEngine> {
  const bin = opts.bin ?? DEFAULT_FERRETDB_BIN;
  if (!existsSync(bin)) throw new EngineMissingError(bin);
  const port = opts.port ?? (await freePort());
  let sqliteUrl = 'file:./?mode=memory';
  if (opts.dataDir !== 'memory') {
    const dir = path.resolve(opts.dataDir, 'ferretdb');
    mkdirSync(dir, { recursive: true });
    sqliteUrl = `file:${dir}/`;
  }
  const args = ['--handler=sqlite', `--sqlite-url=${sqliteUrl}`, `--listen-addr=127.0.0.1:${port}`,
    '--state-dir=-', '--debug-addr=-', '--telemetry=disable', '--log-level=error'];
  const child: ChildProcess = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => { stderr = (stderr + b.toString()).slice(-4000); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stopOnExit = () => child.kill('SIGKILL');
  process.once('exit', stopOnExit);
  const uri = `mongodb://127.0.0.1:${port}/`;
  await waitUntilAnswering(uri, child, () => stderr);
  return {
    uri, port,
    async stop() {
      process.removeListener('exit', stopOnExit);
      if (child.exitCode === null) { child.kill('SIGTERM'); await Promise.race([exited, delay(3000)]); }
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

async function waitUntilAnswering(uri: string, child: ChildProcess, stderr: () => string) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`FerretDB exited at start-up (code ${child.exitCode}):\n${stderr()}`);
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 500, connectTimeoutMS: 500 });
    try {
      await client.connect();
      await client.db('admin').command({ ping: 1 });
      return;
    } catch { await delay(150); } finally { await client.close().catch(() => undefined); }
  }
  child.kill('SIGKILL');
  throw new Error(`FerretDB did not answer within 30 s:\n${stderr()}`);
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
