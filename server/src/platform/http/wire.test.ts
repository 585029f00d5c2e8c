import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { gzipSync, deflateSync } from 'node:zlib';
import { startTestServer, as, type Client, type TestServer } from '../../../test/harness.ts';

// Issue 9 #2/#12, second review: bodies and methods that never reach a route's schema. A body
// whose Content-Encoding lies, is cut short or inflates past the limit is a 4xx in the error shape
// with nothing written (a lying gzip body was a logged 500); CONNECT gets an answer, not a dropped socket.
let t: TestServer;
let wh: Client;
let port: number;
const count = () => t.services.ledger.count();

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  wh = await as(t.url, 'warehouse');
  port = Number(new URL(t.url).port);
});
afterAll(async () => {
  await t?.stop();
});

/** One raw HTTP exchange; resolves with the status and parsed JSON body (or the raw text). */
function exchange(head: string, body: Buffer = Buffer.alloc(0)): Promise<{ status: number; json: any; raw: string }> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    s.on('data', (d) => chunks.push(d));
    const done = () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const text = raw.split('\r\n\r\n').slice(1).join('\r\n\r\n');
      let json: any = null;
      try {
        json = JSON.parse(text);
      } catch {
        json = text;
      }
      resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(raw)?.[1] ?? 0), json, raw });
    };
    s.on('end', done);
    s.on('error', done);
    // the whole request, without half-closing: Node answers nothing to a client that sends FIN first
    s.write(Buffer.concat([Buffer.from(head), body]));
  });
}

const post = (path: string, encoding: string, body: Buffer) =>
  exchange(
    `POST ${path} HTTP/1.1\r\nHost: x\r\nCookie: ${wh.cookie}\r\nX-CSRF-Token: ${wh.csrf}\r\nContent-Type: application/json\r\n` +
      `Content-Encoding: ${encoding}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
    body,
  );

const location = (code: string) =>
  Buffer.from(JSON.stringify({ code, name: { zh: '库位', en: 'Bin' }, kind: 'storage', warehouse: 'WH1' }));

describe('compressed bodies', () => {
  it('refuses a body that is not what its Content-Encoding says, or is cut short, with 400 and nothing written', async () => {
    const before = await count();
    const gz = gzipSync(location('GZ-CUT'));
    for (const [encoding, body] of [
      ['gzip', location('GZ-PLAIN')], // plain JSON labelled gzip
      ['gzip', gz.subarray(0, gz.length - 12)], // truncated stream
      ['deflate', Buffer.from('not deflate at all')],
      ['gzip', Buffer.concat([gz.subarray(0, 10), Buffer.from('garbage-garbage-garbage')])], // a gzip header, then junk
    ] as Array<[string, Buffer]>) {
      const r = await post('/api/v1/locations', encoding, body);
      expect(r.status, `${encoding} ${body.length}`).toBe(400);
      expect(r.json.error.code).toMatch(/BODY_ENCODING_INVALID|BAD_REQUEST/);
    }
    expect(await count()).toBe(before);
    expect((await wh.get('/api/v1/health')).status).toBe(200);
  });

  it('limits the inflated size, not the compressed one (a small gzip bomb is 413)', async () => {
    const before = await count();
    const bomb = gzipSync(
      Buffer.concat([Buffer.from('{"code":"GZ-BOMB","pad":"'), Buffer.alloc(30 * 1024 * 1024, 'a'), Buffer.from('"}')]),
    );
    expect(bomb.length).toBeLessThan(100 * 1024);
    const r = await post('/api/v1/locations', 'gzip', bomb);
    expect(r.status).toBe(413);
    expect(r.json.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await count()).toBe(before);
  });

  it('takes a correctly compressed body', async () => {
    const r = await post('/api/v1/locations', 'gzip', gzipSync(location('GZ-OK')));
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    const d = await post('/api/v1/locations', 'deflate', deflateSync(location('DF-OK')));
    expect(d.status, JSON.stringify(d.json)).toBe(201);
  });
});

describe('methods Node handles before Koa', () => {
  it('answers CONNECT with 405 in the error shape instead of dropping the connection', async () => {
    const r = await exchange('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
    expect(r.status).toBe(405);
    expect(r.json.error.code).toBe('METHOD_NOT_ALLOWED');
    expect(r.raw).toMatch(/x-request-id: [0-9a-f-]{36}/i);
    expect((await wh.get('/api/v1/health')).status).toBe(200);
  });
});
