import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { EngineLockedError, startEmbeddedEngine } from './engine.ts';
import { TEST_ENV } from '../../../test/harness.ts';

// Issue 9, findings 19 (the engine took any local TCP connection, no authentication) and 20 (the
// engine outlived a SIGKILLed server, and a second engine could open the same SQLite files).
// Linux /proc is the witness: which sockets FerretDB holds, which processes are still alive.
const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../../../..');
const dirs: string[] = [];
const children: ChildProcess[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'pv-eng-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const mode = (p: string) => statSync(p).mode & 0o777;
/** Alive = exists and not a zombie (a zombie holds no files, sockets or locks). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
async function gone(pids: number[], ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!pids.some(alive)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
/** Inodes of the sockets a process holds open. */
function socketInodes(pid: number): Set<string> {
  const out = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) out.add(m[1]!);
    } catch {
      /* closed meanwhile */
    }
  }
  return out;
}
/** Inodes of listening TCP sockets (state 0A) on this machine, v4 and v6. */
function tcpListeners(): Set<string> {
  const out = new Set<string>();
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(f)) continue;
    for (const line of readFileSync(f, 'utf8').split('\n').slice(1)) {
      const c = line.trim().split(/\s+/);
      if (c[3] === '0A') out.add(c[9]!);
    }
  }
  return out;
}
/** Inodes of Unix sockets bound to `p`. */
function unixListeners(p: string): Set<string> {
  const out = new Set<string>();
  for (const line of readFileSync('/proc/net/unix', 'utf8').split('\n').slice(1)) {
    const c = line.trim().split(/\s+/);
    if (c[7] === p) out.add(c[6]!);
  }
  return out;
}
async function roundTrip(uri: string) {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    await client.connect();
    await client.db('enginetest').collection('probe').insertOne({ at: new Date() });
    return await client.db('enginetest').collection('probe').countDocuments();
  } finally {
    await client.close();
  }
}
/** Spawns a process and resolves with the first output line matching `match` (and `accept`, which sees each match). */
function spawnUntil(
  args: string[],
  env: NodeJS.ProcessEnv,
  match: RegExp,
  accept: (line: string) => boolean = () => true,
): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let all = '';
    const timer = setTimeout(() => reject(new Error(`no ${match} within 60 s:\n${all}`)), 60_000);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before ${match}:\n${all}`));
    };
    for (const stream of [child.stdout!, child.stderr!]) {
      let partial = '';
      stream.on('data', (b: Buffer) => {
        all += b.toString();
        const lines = (partial + b.toString()).split('\n');
        partial = lines.pop()!; // an unfinished line waits for the rest
        for (const l of lines)
          if (match.test(l) && accept(l)) {
            clearTimeout(timer);
            child.off('exit', onExit);
            resolve({ child, line: l });
            return;
          }
      });
    }
    child.once('exit', onExit);
  });
}

describe('embedded engine: owner-only Unix socket, no TCP (finding 19)', () => {
  it('listens on a 0600 socket in a 0700 directory and holds no listening TCP socket', async () => {
    const dir = tempDir();
    const engine = await startEmbeddedEngine({ dataDir: dir });
    try {
      expect(engine.socketPath).toBe(path.join(dir, 'engine', 'ferretdb.sock'));
      expect(statSync(engine.socketPath).isSocket()).toBe(true);
      expect(mode(engine.socketPath)).toBe(0o600);
      expect(mode(path.dirname(engine.socketPath))).toBe(0o700);
      expect(mode(path.join(dir, 'ferretdb'))).toBe(0o700); // the SQLite files themselves
      expect(mode(path.join(dir, 'engine.lock'))).toBe(0o600);
      expect(engine.uri).toBe(`mongodb://${encodeURIComponent(engine.socketPath)}/`);
      expect(await roundTrip(engine.uri)).toBe(1);
      for (const f of readdirSync(path.join(dir, 'ferretdb'))) expect(mode(path.join(dir, 'ferretdb', f))).toBe(0o600);

      const held = socketInodes(engine.pid);
      const bound = [...unixListeners(engine.socketPath)];
      expect(bound.length).toBeGreaterThan(0);
      expect(bound.every((i) => held.has(i))).toBe(true); // the witness sees FerretDB's sockets…
      const tcp = tcpListeners();
      expect([...held].filter((i) => tcp.has(i))).toEqual([]); // …and none of them is a TCP listener
    } finally {
      await engine.stop();
    }
    expect(existsSync(path.join(dir, 'engine', 'ferretdb.sock'))).toBe(false);
  });

  it('memory mode puts the socket in a private 0700 temp directory, removed at stop', async () => {
    const engine = await startEmbeddedEngine({ dataDir: 'memory' });
    const runDir = path.dirname(engine.socketPath);
    try {
      expect(runDir.startsWith(tmpdir())).toBe(true);
      expect(mode(runDir)).toBe(0o700);
      expect(mode(engine.socketPath)).toBe(0o600);
      expect(await roundTrip(engine.uri)).toBe(1);
    } finally {
      await engine.stop();
    }
    expect(existsSync(runDir)).toBe(false);
  });

  it('a data directory too long for a socket path gets a private short one, says so, and still locks', async () => {
    const dir = path.join(tempDir(), 'a-very-long-directory-name-'.repeat(4));
    mkdirSync(dir, { recursive: true });
    const notices: string[] = [];
    const engine = await startEmbeddedEngine({ dataDir: dir, log: (msg) => notices.push(msg) });
    const runDir = path.dirname(engine.socketPath);
    try {
      expect(Buffer.byteLength(path.join(dir, 'engine', 'ferretdb.sock'))).toBeGreaterThan(107);
      expect(notices.join('\n')).toContain('too long for a Unix socket');
      expect(runDir.startsWith(tmpdir()) && !runDir.startsWith(dir)).toBe(true);
      expect(mode(runDir)).toBe(0o700);
      expect(await roundTrip(engine.uri)).toBe(1);
      await expect(startEmbeddedEngine({ dataDir: dir })).rejects.toBeInstanceOf(EngineLockedError);
    } finally {
      await engine.stop();
    }
    expect(existsSync(runDir)).toBe(false);
  });
});

describe('embedded engine: one per data directory, none orphaned (finding 20)', () => {
  it('refuses a second engine on the same data directory, naming the lock, and starts once the first stopped', async () => {
    const dir = tempDir();
    const first = await startEmbeddedEngine({ dataDir: dir });
    let err: unknown;
    try {
      err = await startEmbeddedEngine({ dataDir: dir }).then(
        (e) => e.stop(),
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(EngineLockedError);
      const msg = (err as Error).message;
      expect(msg).toContain(path.join(dir, 'engine.lock'));
      expect(msg).toContain(`engine pid ${first.pid}`);
      expect(msg).toContain(`server pid ${process.pid}`);
      expect(msg).toContain('数据目录');
      expect(await roundTrip(first.uri)).toBe(1); // the refused start did not disturb the first
    } finally {
      await first.stop();
    }
    const second = await startEmbeddedEngine({ dataDir: dir });
    try {
      expect(await roundTrip(second.uri)).toBe(2);
    } finally {
      await second.stop();
    }
  });

  it('SIGKILL of `provenant start` takes its engine down; the next start on that directory works', async () => {
    const dir = tempDir();
    const env = { ...process.env, ...TEST_ENV(), DATA_DIR: dir, PROVENANT_SEED: 'never', LOG_LEVEL: 'info' };
    let enginePid = 0;
    const { child } = await spawnUntil(
      ['bin/provenant.js', 'start'],
      env,
      /is running at|embedded FerretDB started/,
      (l) => {
        if (l.includes('embedded FerretDB started')) enginePid = JSON.parse(l).enginePid;
        return /is running at/.test(l);
      },
    );
    expect(enginePid).toBeGreaterThan(0);
    const launcherPid = Number(readFileSync(`/proc/${enginePid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
    expect(alive(enginePid) && alive(launcherPid)).toBe(true);
    const t0 = Date.now();
    child.kill('SIGKILL');
    expect(await gone([enginePid, launcherPid])).toBe(true);
    console.log(`engine gone ${Date.now() - t0} ms after SIGKILL of the server`);
    const next = await startEmbeddedEngine({ dataDir: dir });
    try {
      expect(await roundTrip(next.uri)).toBeGreaterThan(0);
    } finally {
      await next.stop();
    }
  });

  it('a lock left by killed processes is taken over, and a stale socket file is replaced', async () => {
    const dir = tempDir();
    const fixture = path.join(HERE, 'engine-child.fixture.ts');
    const { child, line } = await spawnUntil(['--import', 'tsx', fixture, dir], process.env, /"launcherPid"/);
    const ids = JSON.parse(line) as { pid: number; launcherPid: number; socket: string };
    // the harshest end: server and launcher both killed at once, FerretDB given no chance to clean up
    process.kill(ids.launcherPid, 'SIGKILL');
    child.kill('SIGKILL');
    expect(await gone([ids.pid, ids.launcherPid])).toBe(true);
    expect(readFileSync(path.join(dir, 'engine.lock'), 'utf8')).toContain(`"enginePid":${ids.pid}`); // stale content left behind
    expect(existsSync(ids.socket)).toBe(true); // FerretDB died by SIGKILL (parent-death signal): its socket file is stale
    const next = await startEmbeddedEngine({ dataDir: dir });
    try {
      expect(await roundTrip(next.uri)).toBe(1);
      expect(readFileSync(path.join(dir, 'engine.lock'), 'utf8')).toContain(`"enginePid":${next.pid}`);
    } finally {
      await next.stop();
    }
  });
});
