import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { startTestServer, as, Client, type TestServer } from '../../../test/harness.ts';
import { provenant } from '../../../test/cli.ts';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ seed: true });
});
afterAll(async () => {
  await t?.stop();
});

describe('platform', () => {
  it('reports health without a session', async () => {
    const r = await new Client(t.url).get('/api/v1/health');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ok', engine: 'ferretdb-sqlite', version: expect.any(String) });
    expect(r.body.ledger.events).toBeGreaterThan(10);
    expect(r.body.ledger.head).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rejects every endpoint but login and health without a session or token', async () => {
    const admin = await as(t.url, 'admin');
    const doc = (await admin.get('/api/v1/openapi.json')).body;
    const anon = new Client(t.url);
    const checked: string[] = [];
    for (const [p, item] of Object.entries<Record<string, unknown>>(doc.paths)) {
      for (const method of Object.keys(item)) {
        const url = p.replace(/\{stream\}/g, 'user%3Ax').replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
        const r = await anon.request(method.toUpperCase(), url, method === 'get' ? undefined : {});
        const isPublic = p === '/api/v1/auth/login' || p === '/api/v1/health';
        if (isPublic) continue;
        expect(r.status, `${method} ${p}`).toBe(401);
        checked.push(`${method} ${p}`);
      }
    }
    expect(checked.length).toBeGreaterThan(15);
  });

  it('serves OpenAPI generated from the zod schemas and a docs page', async () => {
    const admin = await as(t.url, 'admin');
    const doc = (await admin.get('/api/v1/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    expect(
      doc.paths['/api/v1/auth/login'].post.requestBody.content['application/json'].schema.properties,
    ).toHaveProperty('username');
    const page = await admin.request('GET', '/api/docs');
    expect(page.status).toBe(200);
    expect(String(page.body)).toContain('Provenant API');
    // Swagger UI is served by this server (no CDN): the page names only local assets, and they load.
    expect(String(page.body)).not.toMatch(/https?:\/\//);
    const bundle = await admin.request('GET', '/api/docs/assets/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toContain('javascript');
    expect(String(bundle.body)).toContain('SwaggerUIBundle');
    const init = await admin.request('GET', '/api/docs/assets/init.js');
    expect(String(init.body)).toContain('/api/v1/openapi.json');
    expect((await admin.request('GET', '/api/docs/assets/package.json')).status).toBe(400);
    expect((await admin.request('GET', '/api/docs/assets/..%2Fpackage.json')).status).toBe(400);
    expect((await fetch(`${t.url}/api/docs/assets/swagger-ui.css`)).status).toBe(401);
  });

  it('shapes errors as {error:{code,message}} without stack traces', async () => {
    const admin = await as(t.url, 'admin');
    const nf = await admin.get('/api/v1/nothing-here');
    expect(nf.status).toBe(404);
    expect(nf.body.error.code).toBe('NOT_FOUND');
    const res = await fetch(`${t.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"username": ',
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('BAD_REQUEST');
    expect(JSON.stringify(body)).not.toMatch(/node_modules|\.ts:\d+/);
    expect(body.error.message).toBe('The request body is not valid JSON.');
    const zh = await fetch(`${t.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'zh-CN' },
      body: '{"username": ',
    });
    expect((await zh.json()).error).toMatchObject({ code: 'BAD_REQUEST', message: '请求体不是有效的 JSON。' });
    const plain = await fetch(`${t.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'accept-language': 'zh-CN' },
      body: 'x',
    });
    expect(plain.status).toBe(415);
    expect((await plain.json()).error).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: '不接受 text/plain 类型的文件。',
    });
    const missing = await new Client(t.url).post('/api/v1/auth/login', { username: 'admin' });
    expect(missing.body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('body.password'),
    });
  });

  it('carries a request id', async () => {
    const r = await new Client(t.url).request('GET', '/api/v1/health', undefined, { 'x-request-id': 'trace-me-123' });
    expect(r.headers.get('x-request-id')).toBe('trace-me-123');
  });

  it('refuses to start on bad configuration, with a clear message and exit code', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      env: { ...process.env, PORT: 'eighty', SESSION_IDLE_MINUTES: '0' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('PORT');
    expect(r.stderr).toContain('SESSION_IDLE_MINUTES');
    const prod = spawnSync(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      env: { ...process.env, NODE_ENV: 'production' },
      encoding: 'utf8',
    });
    expect(prod.status).toBe(1);
    expect(prod.stderr).toContain('PROVENANT_SECRET');
  });

  it('says how to build the engine when its binary is missing', () => {
    const r = provenant(['ledger', 'verify'], { FERRETDB_BIN: '/nonexistent/ferretdb', MONGODB_URI: '' });
    expect(r.code).toBe(2);
    expect(r.out).toContain('npm run build:engine');
  });
});
