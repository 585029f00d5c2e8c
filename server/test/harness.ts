import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, type Running } from '../src/main.ts';
import type { Services } from '../src/platform/services.ts';
import { DEMO_PASSWORD } from '../../seed/demo-users.ts';

export { DEMO_PASSWORD };

/** The environment every test server runs with (fast password hashing: tests sign a lot). */
export const TEST_ENV = (): Record<string, string> => ({
  NODE_ENV: 'test',
  PORT: '0',
  LOG_LEVEL: 'silent',
  CHECKPOINT_INTERVAL_SECONDS: '0',
  LOGIN_RATE_PER_MINUTE: '100000',
  PASSWORD_HASH_COST: '12',
  PATH: process.env.PATH ?? '',
  ...(process.env.FERRETDB_BIN ? { FERRETDB_BIN: process.env.FERRETDB_BIN } : {}),
});

export interface TestServer {
  url: string;
  services: Services;
  running: Running;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * A real server on a free port over its own embedded FerretDB in a throwaway directory: tests
 * talk HTTP to the real engine, never to mocks. `seed: true` loads the demo company.
 */
export async function startTestServer(
  opts: {
    seed?: boolean;
    env?: Record<string, string>;
    dataDir?: string;
    keepData?: boolean;
    /** A second app server on this one's database and seal key (stop it before this one). */
    sharedWith?: TestServer;
    /**
     * Check every projection against the ledger at start (as every real server does). Default:
     * only on a restart of an existing data directory; a fresh directory or a fresh copy of the
     * demo template holds nothing the projector did not write (tests that edit behind the ledger's
     * back restart on their data directory, and a crash is checked whatever this says).
     */
    checkAtStart?: boolean;
  } = {},
): Promise<TestServer> {
  if (opts.sharedWith) {
    const first = opts.sharedWith;
    return startTestServer({
      ...opts,
      sharedWith: undefined,
      dataDir: first.dataDir,
      keepData: true,
      seed: false,
      env: { MONGODB_URI: dbUri(first.services), DB_NAME: first.services.config.DB_NAME, ...opts.env },
    });
  }
  const dir = opts.dataDir ?? mkdtempSync(path.join(tmpdir(), 'provenant-test-'));
  const template = process.env.PROVENANT_TEST_TEMPLATE;
  if (opts.seed && !opts.dataDir && template && existsSync(template)) cpSync(template, dir, { recursive: true });
  const running = await startServer(
    { ...TEST_ENV(), DATA_DIR: dir, PROVENANT_SEED: opts.seed ? 'auto' : 'never', ...opts.env },
    { quiet: true, liveCheck: opts.checkAtStart ?? !!opts.dataDir },
  );
  await running.booted.settled; // tests start from a checked store (the server answers before it is)
  return {
    url: running.url,
    services: running.booted.services,
    running,
    dataDir: dir,
    async stop() {
      await running.stop();
      if (!opts.keepData) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The URI a separate process (the CLI) uses to reach this server's database: the configured
 *  MONGODB_URI, or the embedded engine's owner-only Unix socket. */
export function dbUri(services: Services): string {
  if (services.config.MONGODB_URI) return services.config.MONGODB_URI;
  const host = (
    services.db as unknown as {
      client: { options: { hosts: Array<{ socketPath?: string; host?: string; port?: number }> } };
    }
  ).client.options.hosts[0];
  return host.socketPath ? `mongodb://${encodeURIComponent(host.socketPath)}/` : `mongodb://${host.host}:${host.port}/`;
}

/** A cookie-and-CSRF aware HTTP client, as a browser would behave. */
export class Client {
  cookie = '';
  csrf = '';
  locale = 'en-US';
  bearer = '';
  constructor(readonly base: string) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const h: Record<string, string> = { 'accept-language': this.locale, ...headers };
    if (body !== undefined && !(body instanceof FormData)) h['content-type'] = 'application/json';
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrf && method !== 'GET') h['x-csrf-token'] = this.csrf;
    if (this.bearer) h.authorization = `Bearer ${this.bearer}`;
    const res = await fetch(this.base + path, {
      method,
      headers: h,
      body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const m = /provenant_session=([^;]*)/.exec(setCookie);
      if (m) this.cookie = m[1] ? `provenant_session=${m[1]}` : '';
    }
    const text = await res.text();
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    return { status: res.status, body: json, headers: res.headers };
  }
  /** A binary GET (PDF, PNG): the body as bytes with its content type. */
  async bytes(p: string) {
    const h: Record<string, string> = { 'accept-language': this.locale };
    if (this.cookie) h.cookie = this.cookie;
    if (this.bearer) h.authorization = `Bearer ${this.bearer}`;
    const res = await fetch(this.base + p, { headers: h });
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      body: Buffer.from(await res.arrayBuffer()),
    };
  }
  get(p: string) {
    return this.request('GET', p);
  }
  post(p: string, b: unknown = {}) {
    return this.request('POST', p, b);
  }
  patch(p: string, b: unknown) {
    return this.request('PATCH', p, b);
  }
  put(p: string, b: unknown) {
    return this.request('PUT', p, b);
  }

  async login(username: string, password = DEMO_PASSWORD, totp?: string) {
    const r = await this.post('/api/v1/auth/login', { username, password, ...(totp ? { totp } : {}) });
    if (r.status === 200) this.csrf = r.body.csrfToken;
    return r;
  }
}

/** Logs in a demo user and returns the client (throws if login fails). */
export async function as(url: string, username: string): Promise<Client> {
  const c = new Client(url);
  const r = await c.login(username);
  if (r.status !== 200) throw new Error(`login ${username} failed: ${JSON.stringify(r.body)}`);
  return c;
}
