import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import { readFileSync } from 'node:fs';
import { withCheckDigit } from './gtin.ts';
import { UNITS, unitOf } from '../../platform/units.ts';

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

// Issue 15 item 8: an item's unit comes from the unit list (platform/units.ts), so a Chinese screen
// shows 件, 千克, 毫升 and not the English code. Codes checked against UN/ECE Recommendation No. 20
// (Annex I: H87 piece, KGM kilogram, MTR metre, LTR litre, MLT millilitre, MMT millimetre) and UCUM.
describe('item units', () => {
  it('refuses a unit outside the list at body.unit in both languages, writing nothing; accepts a listed one', async () => {
    const before = await count();
    const bad = await qaEng.post('/api/v1/items', { ...device('RM-UNIT-1', null), type: 'raw', unit: 'pieces' });
    expect(bad.status).toBe(400);
    const at = (b: { error: { details: Array<{ path: string; message: string }> } }) =>
      b.error.details.find((d) => d.path === 'body.unit')?.message;
    expect(at(bad.body)).toMatch(/unit list/);
    qaEng.locale = 'zh-CN';
    const badZh = await qaEng.post('/api/v1/items', { ...device('RM-UNIT-1', null), type: 'raw', unit: 'ml' });
    qaEng.locale = 'en-US';
    expect(badZh.status).toBe(400);
    expect(at(badZh.body)).toMatch(/单位表.*mL 毫升/);
    expect(await count()).toBe(before);
    const ok = await qaEng.post('/api/v1/items', { ...device('RM-UNIT-1', null), type: 'raw', unit: 'mL' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.unit).toBe('mL');
    const before2 = await count();
    const revise = await qaEng.post(`/api/v1/items/${ok.body.id}/revisions`, {
      version: ok.body.version,
      reason: 'bought by the box',
      changes: { unit: 'carton' },
    });
    expect(revise.status).toBe(400);
    expect(await count()).toBe(before2);
  });

  it('lists each unit with its UN/ECE Rec 20 and UCUM codes, and the client locale names exactly these units', () => {
    const rec20 = Object.fromEntries(UNITS.map((u) => [u.code, u.rec20]));
    expect(rec20).toMatchObject({
      pcs: 'H87',
      kg: 'KGM',
      m: 'MTR',
      L: 'LTR',
      mL: 'MLT',
      mm: 'MMT',
      h: 'HUR',
      s: 'SEC',
    });
    expect(unitOf('kg')).toMatchObject({ name: { zh: '千克' }, ucum: 'kg' });
    const locale = (l: string) =>
      JSON.parse(readFileSync(new URL(`../../../../client/src/locales/${l}/units.json`, import.meta.url), 'utf8')) as {
        symbol: Record<string, string>;
      };
    const codes = UNITS.map((u) => u.code).sort();
    expect(Object.keys(locale('en-US').symbol).sort()).toEqual(codes);
    expect(locale('zh-CN').symbol).toEqual(Object.fromEntries(UNITS.map((u) => [u.code, u.name.zh])));
  });
});
