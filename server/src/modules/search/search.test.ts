import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import { expectNothingWritten, markLedger } from '../../../test/refusals.ts';
import { changeBody } from '../changes/changes.factory.ts';
import { parseUdi } from './udi.ts';
import { todayUtc } from '../../platform/dates.ts';

// Global search (issue 15 item 3) through HTTP on the real engine with the demo company. UDIs are
// GS1 element strings (GS1 General Specifications: AI (01) GTIN-14, (10) lot, (17) expiry YYMMDD,
// (21) serial); the example string is the one printed on the demo complaint's label.
let t: TestServer;
let qa: Client, op: Client, auditor: Client;
// lot numbers are L<yymm>-<sequence>: the demo's first lot of this month (its first receipt of the
// present; the months before hold the demo's year of receipts) and its released infusion-set lot,
// the lot of the demo complaint
const month = `L${todayUtc().slice(2, 4)}${todayUtc().slice(5, 7)}`;
let first = '';
let labelled = '';

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  const lots = t.services.db.collection<{ lotNumber: string }>('lots');
  first = (await lots.find({}, { projection: { lotNumber: 1 } }).toArray())
    .map((l) => l.lotNumber)
    .filter((n) => n.startsWith(`${month}-`))
    .sort()[0];
  // the lot the demo complaint names (its label is what the complainant scanned)
  const complaint = await t.services.db
    .collection<{ lotId: string }>('complaints')
    .findOne({ number: 'CMP-2026-00001' });
  labelled = (await lots.findOne({ _id: complaint!.lotId as never }))!.lotNumber;
  [qa, op, auditor] = await Promise.all(['qa.manager', 'operator', 'auditor'].map((u) => as(t.url, u)));
}, 240_000);
afterAll(async () => {
  await t?.stop();
});

type Result = {
  udi: unknown;
  groups: Array<{
    kind: string;
    more: boolean;
    hits: Array<{ number: string; title: { zh: string; en: string }; state: string; link: any }>;
  }>;
};
const search = async (c: Client, q: string, extra = '') => {
  const r = await c.get(`/api/v1/search?q=${encodeURIComponent(q)}${extra}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as Result;
};
const group = (r: Result, kind: string) => r.groups.find((g) => g.kind === kind)?.hits ?? [];

describe('global search', () => {
  it('finds a lot by its number, with its state and the route that opens it', async () => {
    const r = await search(qa, first);
    const lot = group(r, 'lot')[0];
    expect(lot).toMatchObject({ number: first, state: 'released' });
    expect(lot.title.zh && lot.title.en).toBeTruthy(); // the item's name in both languages
    expect(lot.link).toMatchObject({ route: 'lot', params: { id: expect.any(String) } });
    // lower case and a fragment find it too; the inspection of that lot is listed with it
    expect(group(await search(qa, first.slice(0, -1).toLowerCase()), 'lot').map((h) => h.number)).toContain(first);
    expect(group(r, 'inspection').length).toBeGreaterThan(0);
  });

  it('finds a document by a fragment of its Chinese title, and by its English one', async () => {
    const zh = group(await search(qa, '质量手'), 'document');
    expect(zh).toEqual([
      expect.objectContaining({
        number: 'POL-001',
        title: { en: 'Quality Manual', zh: '质量手册' },
        state: 'effective',
      }),
    ]);
    expect(zh[0].link).toMatchObject({ route: 'document' });
    expect(group(await search(qa, 'quality manual'), 'document').map((d) => d.number)).toEqual(['POL-001']);
  });

  it('finds an item by its English and by its Chinese name', async () => {
    expect(group(await search(qa, 'Drip chamber'), 'item').map((i) => i.number)).toEqual(['CP-DRP-001']);
    expect(group(await search(qa, '滴斗'), 'item').map((i) => i.number)).toEqual(['CP-DRP-001']);
    expect(group(await search(qa, 'SUP-JINGMO'), 'supplier')[0]).toMatchObject({
      link: { route: 'supplier', params: { code: 'SUP-JINGMO' } },
    });
    expect(group(await search(qa, 'qa.manager'), 'user').map((u) => u.number)).toEqual(['qa.manager']);
  });

  it('reads a scanned UDI (parenthesised or raw) and finds the serialized unit and the labelled lot', async () => {
    const db = t.services.db;
    const item = await db.collection<any>('items').findOne({ control: 'serial', gtin: { $ne: null } });
    expect(item?.gtin).toMatch(/^\d{14}$/);
    const unit = await db.collection<any>('lots').findOne({ kind: 'serial', 'item.id': item!._id });
    expect(unit?.serial).toBeTruthy();
    for (const q of [`(01)${item!.gtin}(21)${unit!.serial}`, `01${item!.gtin}21${unit!.serial}`]) {
      const r = await search(qa, q);
      expect(r.udi).toEqual({ gtin: item!.gtin, serial: unit!.serial });
      expect(group(r, 'lot').map((l) => l.number)).toEqual([unit!.serial]);
    }
    // the demo complaint's label: (01) GTIN, (11) production date, (17) expiry, (10) lot
    const r = await search(qa, `(01)06971234500014(11)261201(17)291130(10)${labelled}`);
    expect(r.udi).toEqual({ gtin: '06971234500014', lot: labelled });
    expect(group(r, 'lot').map((l) => l.number)).toEqual([labelled]);
    expect(group(r, 'complaint').map((c) => c.number)).toEqual(['CMP-2026-00001']);
    expect(parseUdi('0106971234500014172911301' + `0${labelled}`)).toEqual({
      gtin: '06971234500014',
      lot: labelled,
    });
    expect(parseUdi('(01)123')).toBeNull(); // a GTIN is 14 digits
  });

  it('takes regex metacharacters literally', async () => {
    // as patterns these would match everything, or not compile: as text they match nothing (or only themselves)
    for (const q of ['.*', '^L', first.replace('-', '.'), '[A-Z]+', '\\d', '$where', 'a|b'])
      expect((await search(qa, q)).groups).toEqual([]);
    for (const q of ['(', '[', '*', '\\']) await search(qa, q); // 200, not a regex error
    expect(group(await search(qa, `${month}-0`), 'lot').length).toBeGreaterThan(0);
  });

  it('bounds the result: limit per group, `more` when there are more', async () => {
    const r = await search(qa, month, '&limit=2');
    expect(group(r, 'lot')).toHaveLength(2);
    expect(r.groups.find((g) => g.kind === 'lot')!.more).toBe(true);
  });

  it('shows each user only the kinds they may read; the auditor nothing (the portal is theirs)', async () => {
    const created = await qa.post(
      '/api/v1/changes',
      changeBody({ title: { zh: '搜索探针变更', en: 'Search probe change' } }),
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(group(await search(qa, '搜索探针'), 'change')).toHaveLength(1);
    const seen = await search(op, '搜索探针');
    expect(seen.groups.map((g) => g.kind)).not.toContain('change'); // an operator holds no change.read
    expect(group(await search(op, first), 'lot')).toHaveLength(1);
    expect((await search(auditor, first)).groups).toEqual([]);
  });

  it('refuses malformed input with 400 and writes nothing', async () => {
    const mark = await markLedger(t.services);
    for (const path of [
      '/api/v1/search',
      '/api/v1/search?q=',
      '/api/v1/search?q=%20%20',
      `/api/v1/search?q=${'x'.repeat(101)}`,
      `/api/v1/search?q=${encodeURIComponent('{"$ne":null}')}`,
      '/api/v1/search?q[$ne]=x',
      '/api/v1/search?q=a&q=b',
      '/api/v1/search?q=lot&limit=0',
      '/api/v1/search?q=lot&limit=51',
      '/api/v1/search?q=lot&limit=abc',
      '/api/v1/search?q=lot&extra=1',
    ]) {
      const r = await qa.get(path);
      expect([path, r.status]).toEqual([path, 400]);
    }
    expect((await fetch(`${t.url}/api/v1/search?q=lot`)).status).toBe(401);
    await expectNothingWritten(t.services, mark);
  });
});
