import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import { withCheckDigit } from './gtin.ts';

// Issue 9, finding 21: a GTIN identifies one trade item. Unique across items, kept by the same
// item through its revisions, and claimed so that concurrent creates cannot both win.
let t: TestServer;
let qaEng: Client;
const count = () => t.services.ledger.count();
const device = (partNumber: string, gtin: string | null) => ({
  partNumber,
  name: { zh: '测试器械', en: 'Test device' },
  type: 'finished',
  unit: 'pcs',
  control: 'lot',
  gtin,
});

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  qaEng = await as(t.url, 'qa.engineer');
});
afterAll(async () => {
  await t?.stop();
});

describe('GTINs', () => {
  it('refuses a GTIN another item carries, at creation and at revision, writing nothing', async () => {
    const taken = (await qaEng.get('/api/v1/items?type=finished')).body.find((i: { gtin: string | null }) => i.gtin);
    const before = await count();
    const dup = await qaEng.post('/api/v1/items', device('FG-GTIN-1', taken.gtin));
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('GTIN_IN_USE');
    qaEng.locale = 'zh-CN';
    expect((await qaEng.post('/api/v1/items', device('FG-GTIN-1', taken.gtin))).body.error.message).toContain(
      '已用于另一物料',
    );
    qaEng.locale = 'en-US';
    expect(await count()).toBe(before);
    // the part number was not taken by the refused create
    const other = await qaEng.post('/api/v1/items', device('FG-GTIN-1', withCheckDigit('0697123459901')));
    expect(other.status).toBe(201);
    const before2 = await count();
    const revise = await qaEng.post(`/api/v1/items/${other.body.id}/revisions`, {
      version: other.body.version,
      reason: 'copy the UDI-DI',
      changes: { gtin: taken.gtin },
    });
    expect(revise.status).toBe(409);
    expect(revise.body.error.code).toBe('GTIN_IN_USE');
    expect(await count()).toBe(before2);
  });

  it('lets the same item keep its GTIN through a revision, and change to a free one', async () => {
    const mine = (await qaEng.post('/api/v1/items', device('FG-GTIN-2', withCheckDigit('0697123459902')))).body;
    const kept = await qaEng.post(`/api/v1/items/${mine.id}/revisions`, {
      version: mine.version,
      reason: 'new name, same device',
      changes: { gtin: mine.gtin, name: { zh: '改名', en: 'Renamed' } },
    });
    expect(kept.status).toBe(200);
    expect(kept.body).toMatchObject({ gtin: mine.gtin, revision: 'B' });
    const moved = await qaEng.post(`/api/v1/items/${mine.id}/revisions`, {
      version: kept.body.version,
      reason: 'new packaging level',
      changes: { gtin: withCheckDigit('0697123459903') },
    });
    expect(moved.status).toBe(200);
    // the GTIN it carried before is not free for another item (a UDI-DI is never reassigned)
    const reuse = await qaEng.post('/api/v1/items', device('FG-GTIN-3', mine.gtin));
    expect(reuse.body.error.code).toBe('GTIN_IN_USE');
  });

  it('gives a new GTIN to exactly one of ten concurrent creates', async () => {
    const gtin = withCheckDigit('0697123459910');
    const res = await Promise.all(
      Array.from({ length: 10 }, (_, i) => qaEng.post('/api/v1/items', device(`FG-RACE-${i}`, gtin))),
    );
    expect(res.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of res.filter((x) => x.status !== 201))
      expect([r.status, r.body.error.code]).toEqual([409, 'GTIN_IN_USE']);
    const carriers = (await qaEng.get('/api/v1/items?type=finished')).body.filter(
      (i: { gtin: string | null }) => i.gtin === gtin,
    );
    expect(carriers).toHaveLength(1);
  });
});
