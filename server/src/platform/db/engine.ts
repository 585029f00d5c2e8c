import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';

// The embedded engine: FerretDB 1.24 on SQLite, a real MongoDB wire-protocol server that the app
// starts itself when MONGODB_URI is unset (dev, demo, tests, small sites).
//
// Hardening (issue 9, findings 19 and 20):
//  - FerretDB listens only on a Unix socket in an owner-only directory (0700, socket 0600): no TCP
//    port that any local process could connect to without credentials.
//  - It runs under tools/ferretdb/bin/provenant-engine, which holds a kernel lock on
//    DATA_DIR/engine.lock (so never two engines on one data directory; the kernel drops the lock
//    with the process, so a crash leaves nothing stale) and stops FerretDB when this process ends,
//    however it ends (the stdin pipe closes on SIGKILL too; on Linux also a parent-death signal).
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
export const DEFAULT_FERRETDB_BIN = path.join(ROOT, 'tools/ferretdb/bin/ferretdb');
export const DEFAULT_LAUNCHER_BIN = path.join(ROOT, 'tools/ferretdb/bin/provenant-engine');
export const LOCK_FILE = 'engine.lock';
/** sun_path holds 108 bytes on Linux, 104 on macOS; stay below both with the NUL. */
const MAX_SOCKET_PATH = 100;
const EXIT_LOCKED = 75;

export interface EmbeddedEngine {
  uri: string;
  socketPath: string;
  /** FerretDB's process id (its supervisor's is `launcherPid`). */
  pid: number;
  launcherPid: number;
  stop(): Promise<void>;
}

export class EngineMissingError extends Error {
  constructor(bin: string) {
    super(
      `The embedded database engine is not built (${bin} is missing).\n` +
        `Build it with:  npm run build:engine   (needs Go and the Go module proxy; ~2 min)\n` +
        `or point Provenant at MongoDB with MONGODB_URI=mongodb://…`,
    );
  }
}

/** Another engine (another running Provenant) has this data directory open. */
export class EngineLockedError extends Error {
  constructor(
    readonly lockPath: string,
    holder: { serverPid?: number; enginePid?: number; startedAt?: string; host?: string; socket?: string },
  ) {
    const who = [
      holder.serverPid && `server pid ${holder.serverPid}`,
      holder.enginePid && `engine pid ${holder.enginePid}`,
      holder.startedAt && `since ${holder.startedAt}`,
      holder.host && `on ${holder.host}`,
    ]
      .filter(Boolean)
      .join(', ');
    const uri = holder.socket ? `mongodb://${encodeURIComponent(holder.socket)}/` : '';
    super(
      `The data directory ${path.dirname(lockPath)} is already in use by another Provenant engine ` +
        `(lock ${lockPath} is held${who ? ` by ${who}` : ''}).\n` +
        `Stop that server first${uri ? `, or run this against its engine with MONGODB_URI=${uri}` : ''}.\n` +
        `数据目录 ${path.dirname(lockPath)} 正被另一个 Provenant 数据库引擎使用（锁文件 ${lockPath}）。请先停止该服务器。`,
    );
  }
}

/**
 * Starts FerretDB with its SQLite files under `dataDir` (or in memory) and waits until it answers.
 * `log` receives notices worth an operator's attention (e.g. the socket moved out of a long path).
 */
export async function startEmbeddedEngine(opts: {
  dataDir: string | 'memory';
  bin?: string;
  launcher?: string;
  log?: (msg: string, fields: Record<string, unknown>) => void;
}): Promise<EmbeddedEngine> {
  const bin = opts.bin ?? DEFAULT_FERRETDB_BIN;
  const launcher = opts.launcher ?? DEFAULT_LAUNCHER_BIN;
  for (const b of [bin, launcher]) if (!existsSync(b)) throw new EngineMissingError(b);

  let sqliteUrl = 'file:./?mode=memory';
  let lockPath: string | null = null;
  let runDir: string;
  let privateDir: string | null = null; // a directory of our own, deleted at the end
  if (opts.dataDir === 'memory') {
    runDir = privateDir = privateRunDir();
  } else {
    const data = path.resolve(opts.dataDir);
    const sqliteDir = path.join(data, 'ferretdb');
    ownerOnlyDir(sqliteDir); // the SQLite files are the ledger: readable by the owner only
    sqliteUrl = `file:${sqliteDir}/`;
    lockPath = path.join(data, LOCK_FILE);
    runDir = path.join(data, 'engine');
    if (Buffer.byteLength(path.join(runDir, 'ferretdb.sock')) > MAX_SOCKET_PATH) {
      runDir = privateDir = privateRunDir();
      opts.log?.(
        'data directory path too long for a Unix socket; the engine socket is in a private directory instead',
        { dataDir: data, socketDir: runDir },
      );
    } else ownerOnlyDir(runDir);
  }
  const socketPath = path.join(runDir, 'ferretdb.sock');

  // --listen-addr= (empty) turns TCP off: the Unix socket is the only way in.
  const ferretArgs = [
    '--handler=sqlite',
    `--sqlite-url=${sqliteUrl}`,
    '--listen-addr=',
    `--listen-unix=${socketPath}`,
    '--state-dir=-',
    '--debug-addr=-',
    '--telemetry=disable',
    '--log-level=error',
  ];
  const args = ['-parent', String(process.pid), '-socket', socketPath];
  if (lockPath) args.push('-lock', lockPath);
  if (privateDir) args.push('-remove-dir', privateDir);
  const child: ChildProcess = spawn(launcher, [...args, '--', bin, ...ferretArgs], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => {
    stderr = (stderr + b.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const removePrivate = () => {
    if (privateDir) rmSync(privateDir, { recursive: true, force: true });
  };
  // A normal exit of this process closes the pipe anyway; SIGTERM makes the launcher stop FerretDB now.
  const stopOnExit = () => {
    child.kill('SIGTERM');
    removePrivate();
  };
  process.once('exit', stopOnExit);
  const fail = (err: Error) => {
    process.removeListener('exit', stopOnExit);
    if (child.exitCode === null) child.kill('SIGKILL');
    removePrivate();
    return err;
  };

  let pid: number;
  try {
    pid = await enginePid(child, () => stderr);
  } catch (err) {
    if (child.exitCode === EXIT_LOCKED && lockPath) throw fail(new EngineLockedError(lockPath, parseHolder(stderr)));
    throw fail(err as Error);
  }
  const uri = `mongodb://${encodeURIComponent(socketPath)}/`;
  try {
    await waitUntilAnswering(uri, child, () => stderr);
    chmodSync(socketPath, 0o600); // created 0700 under the launcher's umask; a socket needs no x bit
  } catch (err) {
    throw fail(err as Error);
  }
  return {
    uri,
    socketPath,
    pid,
    launcherPid: child.pid!,
    async stop() {
      process.removeListener('exit', stopOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin?.end(); // the launcher stops FerretDB (SIGTERM, then SIGKILL after 5 s)
        await Promise.race([exited, delay(7000)]);
      }
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await Promise.race([exited, delay(2000)]);
      }
      removePrivate();
    },
  };
}

/** A fresh 0700 directory under the system temp dir (mkdtemp creates it owner-only), or under
 *  /tmp when even TMPDIR is too long for a socket path. */
function privateRunDir(): string {
  const base =
    Buffer.byteLength(path.join(tmpdir(), 'provenant-engine-XXXXXX', 'ferretdb.sock')) > MAX_SOCKET_PATH
      ? '/tmp'
      : tmpdir();
  return mkdtempSync(path.join(base, 'provenant-engine-'));
}

/** Creates `dir` owner-only, or makes an existing one so; refuses a symlink or a non-directory. */
function ownerOnlyDir(dir: string) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  if (!st.isDirectory()) throw new Error(`${dir} must be a directory (found something else there)`);
  chmodSync(dir, 0o700);
}

function parseHolder(stderr: string) {
  const m = /LOCKED (\{.*\})/.exec(stderr);
  try {
    return m ? JSON.parse(m[1]) : {};
  } catch {
    return {};
  }
}

/** The launcher prints {"enginePid":N} once FerretDB is started, or exits (75: locked). */
async function enginePid(child: ChildProcess, stderr: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /\{"enginePid":(\d+)\}\n/.exec(out);
      if (m) {
        child.stdout?.off('data', onData);
        child.off('close', onExit);
        child.stdout?.resume();
        resolve(Number(m[1]));
      }
    };
    const onExit = (code: number | null) =>
      reject(new Error(`the engine launcher exited at start-up (code ${code}):\n${stderr()}`));
    child.stdout?.on('data', onData);
    child.once('close', onExit); // 'close', not 'exit': by then stderr has been read to the end
    child.once('error', reject);
  });
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
    } catch {
      await delay(150);
    } finally {
      await client.close().catch(() => undefined);
    }
  }
  throw new Error(`FerretDB did not answer within 30 s:\n${stderr()}`);
}

// unref: a pending timeout in a race must not keep the process alive after the engine stopped
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());
