import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import http from 'node:http';
import { startTestServer, as, Client, type TestServer } from '../../../test/harness.ts';
import { minimalPdf, newDocumentBody, userIds } from '../../modules/documents/documents.factory.ts';

// Issue 9, findings 2, 7, 12, 13, 14: whatever arrives (a cut-off upload, a broken URL, an odd
// method), the answer is the JSON error shape with security headers, and the server keeps serving.

let t: TestServer;
let author: Client;
let warehouse: Client;
let draftId: string;
beforeAll(async () => {
  t = await startTestServer({ seed: true });
  [author, warehouse] = await Promise.all([as(t.url, 'author'), as(t.url, 'warehouse')]);
  const created = await author.post('/api/v1/documents', newDocumentBody(await userIds(author)));
  expect(created.status).toBe(201);
  draftId = created.body.id;
});
afterAll(async () => {
  await t?.stop();
});

/** Any method, any raw path (fetch refuses TRACE and normalises paths; node:http does neither). */
function rawRequest(
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const u = new URL(t.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, method, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sends the request head and part of a body the headers promise in full, and waits for an answer without sending the rest. */
function answerBeforeBody(head: string, partial: Buffer, waitMs = 5000): Promise<string> {
  const u = new URL(t.url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(u.port), u.hostname);
    let got = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(got);
    }, waitMs);
    socket.on('data', (d) => {
      got += d.toString('latin1');
      if (got.includes('\r\n\r\n')) {
        clearTimeout(timer);
        socket.destroy();
        resolve(got);
      }
    });
    socket.on('error', () => undefined);
    socket.write(head);
    socket.write(partial);
  });
}

const BOUNDARY = 'provenant-test-boundary';
const part = (body: Buffer, name = 'file') =>
  Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"; filename="coa.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    ),
    body,
  ]);

async function postMultipart(
  c: Client,
  path: string,
  body: Buffer,
  contentType = `multipart/form-data; boundary=${BOUNDARY}`,
) {
  const res = await fetch(t.url + path, {
    method: 'POST',
    body: new Uint8Array(body),
    headers: { 'content-type': contentType, cookie: c.cookie, 'x-csrf-token': c.csrf },
  });
  return {
    status: res.status,
    body: (await res.json().catch(() => null)) as { error?: { code: string } } | null,
    headers: res.headers,
  };
}

describe('uploads: no body can take the server down (finding 2)', () => {
  const pdf = minimalPdf(['certificate of analysis']);
  const broken: Array<[string, Buffer, string?]> = [
    ['file cut off before the closing boundary', part(pdf.subarray(0, 200))],
    ['part headers cut off', Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filen`)],
    ['a second file part cut off', Buffer.concat([part(pdf), Buffer.from('\r\n'), part(pdf.subarray(0, 50), 'other')])],
    ['an empty body', Buffer.alloc(0)],
    ['bytes that are not multipart at all', Buffer.from('\u0000\u00ff garbage \r\n--\r\n')],
    ['a boundary that never appears', Buffer.from('--another\r\n\r\nxx\r\n--another--\r\n')],
    ['no boundary parameter', part(pdf), 'multipart/form-data'],
    [
      'a malformed percent-encoded file name',
      Buffer.concat([
        Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename*=utf-8''%E0%A4%A\r\n\r\n`),
        pdf,
        Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
      ]),
    ],
  ];
  const endpoints = () =>
    [
      ['certificates', warehouse, '/api/v1/certificates'],
      ['document content', author, `/api/v1/documents/${draftId}/content`],
    ] as const;

  it('answers every malformed or truncated multipart body with a 4xx in the error shape, on every upload endpoint', async () => {
    for (const [where, c, path] of endpoints()) {
      for (const [what, body, type] of broken) {
        const r = await postMultipart(c, path, body, type);
        if (what.startsWith('a malformed percent-encoded')) {
          expect([201, 200, 400], `${where}: ${what}`).toContain(r.status);
          continue;
        }
        expect(r.status, `${where}: ${what}`).toBe(400);
        expect(r.body?.error?.code, `${where}: ${what}`).toMatch(/^(BAD_REQUEST|VALIDATION_FAILED)$/);
      }
    }
    expect((await new Client(t.url).get('/api/v1/health')).status).toBe(200);
  });

  it('survives clients that vanish mid-upload, and still takes a good upload afterwards', async () => {
    const u = new URL(t.url);
    for (const [, c, path] of endpoints()) {
      await new Promise<void>((resolve) => {
        const socket = net.connect(Number(u.port), u.hostname, () => {
          socket.write(
            `POST ${path} HTTP/1.1\r\nHost: x\r\nCookie: ${c.cookie}\r\nX-CSRF-Token: ${c.csrf}\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: 100000\r\n\r\n`,
          );
          socket.write(part(pdf.subarray(0, 300)));
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, 300);
        });
        socket.on('error', () => resolve());
      });
    }
    await new Promise((r) => setTimeout(r, 300));
    const good = await postMultipart(
      warehouse,
      '/api/v1/certificates',
      Buffer.concat([part(pdf), Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]),
    );
    expect(good.status).toBe(201);
    expect(good.body).toMatchObject({ ref: expect.stringMatching(/^sha256:/) });
  });

  it('checks the right to upload before reading the body (an answer arrives while the body is still coming)', async () => {
    const [operator] = await Promise.all([as(t.url, 'operator')]);
    const head = (path: string, c: Client | null, type = `multipart/form-data; boundary=${BOUNDARY}`) =>
      `POST ${path} HTTP/1.1\r\nHost: x\r\n${c ? `Cookie: ${c.cookie}\r\nX-CSRF-Token: ${c.csrf}\r\n` : ''}Content-Type: ${type}\r\nContent-Length: 15000000\r\n\r\n`;
    const cases: Array<[string, string, RegExp]> = [
      [
        'operator → document content (not the author)',
        head(`/api/v1/documents/${draftId}/content`, operator),
        /^HTTP\/1\.1 (403|409) /,
      ],
      ['operator → certificates (no purchasing.receive)', head('/api/v1/certificates', operator), /^HTTP\/1\.1 403 /],
      ['anonymous → document content', head(`/api/v1/documents/${draftId}/content`, null), /^HTTP\/1\.1 401 /],
      [
        'author → content of a document that does not exist',
        head('/api/v1/documents/00000000-0000-4000-8000-000000000000/content', author),
        /^HTTP\/1\.1 404 /,
      ],
      ['anonymous → a JSON body', head('/api/v1/documents', null, 'application/json'), /^HTTP\/1\.1 401 /],
      [
        'operator → a JSON body to an operation they may not call',
        head('/api/v1/items', operator, 'application/json'),
        /^HTTP\/1\.1 403 /,
      ],
    ];
    for (const [what, h, status] of cases)
      expect(await answerBeforeBody(h, part(Buffer.alloc(1000, 7))), what).toMatch(status);
    expect((await new Client(t.url).get('/api/v1/health')).status).toBe(200);
  });
});

describe('every response is the JSON error shape with a request id (finding 12)', () => {
  it('answers malformed percent-encoding anywhere with 400 MALFORMED_URL or 404, never a plain-text 500', async () => {
    for (const path of [
      '/%E0%A4%A',
      '/assets/%ZZ.js',
      '/api/v1/%E0%A4%A',
      `/api/v1/documents/%E0%A4%A`,
      '/api/v1/records/document:%E0%A4%A/signatures',
      '/api/v1/documents?q=%E0%A4%A',
      '/%00',
      '/..%2f..%2fetc%2fpasswd',
    ]) {
      const r = await rawRequest('GET', path, { cookie: author.cookie });
      expect(r.status, path).toBeLessThan(500);
      expect(r.headers['x-request-id'], path).toBeTruthy();
      if (r.status >= 400) {
        expect(r.headers['content-type'], path).toMatch(/application\/json/);
        expect(JSON.parse(r.body).error.code, path).toMatch(/^[A-Z_]+$/);
      }
      expect(r.body).not.toContain('root:');
    }
    const bad = await rawRequest('GET', '/%E0%A4%A');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error.code).toBe('MALFORMED_URL');
  });

  it('answers methods the server does not take with 405 and Allow, in the error shape', async () => {
    for (const [method, path] of [
      ['TRACE', '/'],
      ['TRACE', '/api/v1/health'],
      ['DELETE', '/api/v1/health'],
      ['PROPFIND', '/documents'],
      ['PUT', '/api/v1/ledger/verify'],
    ]) {
      const r = await rawRequest(method, path, { cookie: author.cookie });
      expect(r.status, `${method} ${path}`).toBe(405);
      expect(r.headers.allow, `${method} ${path}`).toMatch(/GET/);
      expect(JSON.parse(r.body).error.code).toBe('METHOD_NOT_ALLOWED');
    }
    // a method Node's parser does not know never reaches Koa: still the error shape with a request id
    const unknown = await rawRequest('TRACK', '/api/v1/documents');
    expect(unknown.status).toBe(400);
    expect(unknown.headers['x-request-id']).toBeTruthy();
    expect(JSON.parse(unknown.body).error.code).toBe('BAD_REQUEST');
    const nowhere = await rawRequest('TRACE', '/api/v1/nothing-here');
    expect(nowhere.status).toBe(404);
    expect(JSON.parse(nowhere.body).error.code).toBe('NOT_FOUND');
  });

  it('replaces a request id that is not plain text', async () => {
    const r = await rawRequest('GET', '/api/v1/health', { 'x-request-id': 'a b\u00ff<script>' });
    expect(r.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('security headers (finding 7)', () => {
  it('serves the client under a strict CSP: no inline script, no eval, same-origin only', async () => {
    const r = await rawRequest('GET', '/documents');
    expect(r.status).toBe(200);
    const csp = String(r.headers['content-security-policy']);
    const script = /script-src ([^;]+)/.exec(csp)?.[1] ?? '';
    expect(script.trim()).toBe("'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).not.toMatch(/unsafe-eval|unsafe-inline|\*/);
    expect(/style-src ([^;]+)/.exec(csp)?.[1].trim()).toBe("'self'");
    // the built page itself carries no inline script or event handler for the policy to block
    const html = readFileSync('client/dist/index.html', 'utf8');
    for (const tag of html.match(/<script[^>]*>[\s\S]*?<\/script>/g) ?? [])
      expect(tag).toMatch(/<script[^>]*\ssrc="\/assets\/[^"]+"[^>]*><\/script>/);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });

  it('sends nosniff and a locked-down CSP on API JSON, errors included, and HSTS only over TLS', async () => {
    for (const [c, path] of [
      [author, '/api/v1/documents'],
      [new Client(t.url), '/api/v1/documents'],
      [author, '/api/v1/nope'],
      [new Client(t.url), '/api/v1/health'],
    ] as const) {
      const r = await c.get(path);
      expect(r.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(r.headers.get('content-security-policy'), path).toMatch(/^default-src 'none'/);
      expect(r.headers.get('strict-transport-security'), 'plain HTTP: no HSTS').toBeNull();
    }
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(readFileSync('client/dist/index.html', 'utf8'))![1];
    expect((await rawRequest('GET', asset)).headers['x-content-type-options']).toBe('nosniff');
    // a forwarded https is believed only with TRUST_PROXY
    const spoofed = await rawRequest('GET', '/api/v1/health', { 'x-forwarded-proto': 'https' });
    expect(spoofed.headers['strict-transport-security']).toBeUndefined();
  });

  it('sends HSTS behind a TLS-terminating proxy when TRUST_PROXY is set', async () => {
    const proxied = await startTestServer({ env: { TRUST_PROXY: '1' } });
    try {
      const r = await fetch(`${proxied.url}/api/v1/health`, { headers: { 'x-forwarded-proto': 'https' } });
      expect(r.headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/);
      expect((await fetch(`${proxied.url}/api/v1/health`)).headers.get('strict-transport-security')).toBeNull();
    } finally {
      await proxied.stop();
    }
  });

  it('lets the API docs page run only scripts served by this server, never inline or eval', async () => {
    const r = await author.request('GET', '/api/docs');
    const csp = r.headers.get('content-security-policy') ?? '';
    const scriptSrc = /script-src ([^;]+)/.exec(csp)?.[1] ?? '';
    expect(scriptSrc.trim()).toBe("'self'");
    expect(csp).toContain("default-src 'none'");
    expect(String(r.body)).not.toMatch(/<script>[^<]/);
  });
});

describe('text the ledger could not store as it was hashed (found by the fuzz test)', () => {
  it('refuses lone surrogates in values and keys anywhere in the input, and the ledger stays clean', async () => {
    const locations = (await warehouse.get('/api/v1/locations')).body as Array<{ code: string }>;
    const code = locations[0].code;
    const cases: Array<[Client, string, string, unknown]> = [
      [warehouse, 'PATCH', `/api/v1/locations/${code}`, { name: { en: 'x\ud800', zh: '库' }, reason: 'fuzz' }],
      [
        warehouse,
        'PATCH',
        `/api/v1/locations/${code}`,
        { name: { en: 'ok', zh: '库' }, reason: '\udc00 trailing half' },
      ],
      [
        author,
        'POST',
        '/api/v1/documents',
        { ...newDocumentBody(await userIds(author)), title: { zh: '标题', en: 'half \ud83d' } },
      ],
      [author, 'POST', '/api/v1/documents', { ...newDocumentBody(await userIds(author)), ['k\ud800']: 1 }],
    ];
    for (const [c, method, path, body] of cases) {
      const r = await c.request(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
    }
    const q = await author.get('/api/v1/documents?q=%ED%A0%80'); // a surrogate as UTF-8 bytes decodes to U+FFFD: harmless
    expect(q.status).toBeLessThan(500);
    expect(
      (
        await warehouse.patch(`/api/v1/locations/${code}`, {
          name: { en: 'Quarantine 😀', zh: '隔离区' },
          reason: 'a real emoji is fine',
        })
      ).status,
    ).toBe(200);
    const verify = await (await as(t.url, 'qa.manager')).get('/api/v1/ledger/verify');
    expect(verify.body.ok, JSON.stringify(verify.body.findings)).toBe(true);
  });
});

describe('a record that does not exist (finding 13)', () => {
  it('answers 404 for the signatures of a record that does not exist, like the record itself', async () => {
    const qa = await as(t.url, 'qa.manager');
    for (const stream of [
      'document:00000000-0000-4000-8000-000000000000',
      'lot:no-such-lot',
      'workorder:nothing',
      'certificate:nope',
    ]) {
      const r = await qa.get(`/api/v1/records/${encodeURIComponent(stream)}/signatures`);
      expect(r.status, stream).toBe(404);
      expect(r.body.error.code).toBe('NOT_FOUND');
    }
    expect((await qa.get(`/api/v1/records/${encodeURIComponent(`document:${draftId}`)}/signatures`)).status).toBe(200);
  });
});

describe('OpenAPI declares what each operation answers (finding 14)', () => {
  it('declares the error statuses from the route declaration', async () => {
    const doc = (await author.get('/api/v1/openapi.json')).body;
    const op = (p: string, m: string) => doc.paths[p][m];
    for (const [p, item] of Object.entries<
      Record<string, { responses: Record<string, unknown>; security?: unknown[] }>
    >(doc.paths)) {
      for (const [m, o] of Object.entries(item)) {
        const codes = Object.keys(o.responses);
        expect(codes, `${m} ${p}`).toContain('400');
        if (o.security?.length) expect(codes, `${m} ${p}`).toEqual(expect.arrayContaining(['401', '403']));
        if (p.includes('{')) expect(codes, `${m} ${p}`).toContain('404');
        if (m !== 'get' && o.security?.length) expect(codes, `${m} ${p}`).toContain('409');
      }
    }
    expect(Object.keys(op('/api/v1/auth/login', 'post').responses)).toEqual(
      expect.arrayContaining(['401', '413', '415', '423', '429']),
    );
    const upload = op('/api/v1/certificates', 'post');
    expect(Object.keys(upload.responses)).toEqual(expect.arrayContaining(['201', '413', '415']));
    expect(upload.requestBody.content).toHaveProperty('multipart/form-data');
    expect(Object.keys(op('/api/v1/documents', 'post').responses)).toContain('201');
  });
});
