import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, as, type Client, type TestServer } from '../../test/harness.ts';
import { EVENTS } from './ledger.ts';

// Issue 9 (second review): the ledger's own line behind the HTTP checks. The HTTP door already
// refuses lone surrogates, so the refusal is exercised on the running server's ledger over the real
// engine: nothing the store would not keep byte-exact is written, and `ledger verify` stays clean.
let t: TestServer;
let qa: Client;
const API = '/api/v1';
const count = () => t.services.ledger.count();

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  qa = await as(t.url, 'qa.manager');
});
afterAll(async () => {
  await t?.stop();
});

describe('the ledger keeps byte-exact what it hashes, or writes nothing', () => {
  it('refuses text, keys and numbers the store cannot keep, before anything is written', async () => {
    const ledger = t.services.ledger;
    const before = await count();
    const bad: Array<[string, Record<string, unknown>, string?]> = [
      ['lone high surrogate', { note: 'a\ud800b' }],
      ['lone low surrogate in a key', { ['k\udc00']: 1 }],
      ['dotted key', { 'a.b': 1 }],
      ['dollar key', { nested: { $gt: '' } }],
      ['NUL in a key', { ['a\u0000b']: 1 }],
      ['NaN', { n: Number.NaN }],
      ['Infinity deep inside', { lines: [{ quantity: Number.POSITIVE_INFINITY }] }],
      ['nested array', { m: [[1, 2]] }],
      ['surrogate in the reason', { ok: 1 }, 'why\udfff'],
    ];
    for (const [name, data, reason] of bad) {
      const err = await ledger
        .append('probe:unstorable', 'probe.written', data, { expectedVersion: 0, ...(reason ? { reason } : {}) })
        .then(
          () => null,
          (e) => e,
        );
      expect(err?.code, name).toBe('UNSTORABLE_VALUE');
      expect(err?.status, name).toBe(400);
      expect(err?.localized('en-US'), name).toMatch(/Nothing was written/);
    }
    expect(
      await ledger.append('probe:unstorable\ud800', 'probe.written', {}).then(
        () => null,
        (e) => e.code,
      ),
    ).toBe('UNSTORABLE_VALUE');
    expect(await count()).toBe(before);
    expect(await t.services.db.collection(EVENTS).countDocuments({ stream: 'probe:unstorable' })).toBe(0);
    const verify = await qa.get(`${API}/ledger/verify`);
    expect(verify.body.ok).toBe(true);
  });
});
