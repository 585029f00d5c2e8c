import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import { expectNothingWritten, markLedger } from '../../../test/refusals.ts';
import { readXlsx, values } from '../../exports/xlsx/pyReader.ts';
import { writeXlsx, type Cell } from '../../exports/xlsx/writer.ts';
import { documentRecord } from '../documents/document.record.ts';
import { act, sign, upload as uploadContent, userIds } from '../documents/documents.factory.ts';

// Data migration through HTTP on the real engine (issue 14 item 3): templates, the dry run's
// cleansing report by row and column, the all-or-none commit, the readers' refusals.
let t: TestServer;
let admin: Client, qa: Client, op: Client;

const form = (bytes: Buffer | string, name: string) => {
  const f = new FormData();
  f.append('file', new Blob([Buffer.from(bytes)]), name);
  return f;
};
const upload = (c: Client, kind: string, step: 'dry-run' | 'commit', bytes: Buffer | string, name = 'f.xlsx') =>
  c.request('POST', `/api/v1/migration/${kind}/${step}`, form(bytes, name));
const xlsx = (header: string[], rows: Cell[][]) => writeXlsx({ name: 'Sheet1', header, rows });
/** A zip built by Python's zipfile from {name: text}; `lie` patches one entry's declared size. */
const pyZip = (
  parts: Record<string, string | { repeat: string; times: number }>,
  lie?: { name: string; size: number },
) =>
  execFileSync(
    'python3',
    [
      '-c',
      `
import io, json, struct, sys, zipfile
spec = json.loads(sys.stdin.read())
b = io.BytesIO()
with zipfile.ZipFile(b, 'w', zipfile.ZIP_DEFLATED) as z:
    for n, v in spec['parts'].items():
        z.writestr(n, v if isinstance(v, str) else v['repeat'] * v['times'])
data = bytearray(b.getvalue())
lie = spec.get('lie')
if lie:
    name = lie['name'].encode()
    i = data.find(b'PK\\x01\\x02')
    while i >= 0:
        n = struct.unpack('<H', data[i+28:i+30])[0]
        if bytes(data[i+46:i+46+n]) == name:
            data[i+24:i+28] = struct.pack('<I', lie['size'])
        i = data.find(b'PK\\x01\\x02', i + 4)
sys.stdout.buffer.write(bytes(data))
`,
    ],
    { input: JSON.stringify({ parts, lie }), maxBuffer: 64 * 1024 * 1024 },
  );
import { MIGRATION_KINDS } from './events.ts';
const WORKBOOK =
  '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="S" sheetId="1"/></sheets></workbook>';

const ITEM_HEADER = ['Part number', 'Name (Chinese)', 'Name (English)', 'Type', 'Unit', 'Control', 'Shelf life (days)'];

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  [admin, qa, op] = await Promise.all(['admin', 'qa.manager', 'operator'].map((u) => as(t.url, u)));
});
afterAll(async () => {
  await t?.stop();
});

describe('templates', () => {
  it('each kind has an Excel template with English and Chinese headers and an example row', async () => {
    // every kind the server declares; the document register's template is read in its own test below
    for (const kind of MIGRATION_KINDS.filter((k) => k !== 'documents')) {
      const r = await admin.bytes(`/api/v1/migration/${kind}/template.xlsx`);
      expect(r.status).toBe(200);
      expect(r.type).toContain('spreadsheetml');
      const book = readXlsx(r.body);
      expect(book.bad).toBeNull();
      const [header] = values(book);
      expect(header.length).toBeGreaterThan(3);
      for (const h of header) expect(String(h)).toMatch(/ \/ .*[\u4e00-\u9fff]/);
    }
    const items = values(readXlsx((await admin.bytes('/api/v1/migration/items/template.xlsx')).body));
    expect(items[0][0]).toBe('Part number / 物料编码 *');
    // the template as downloaded (its example row) passes the dry run
    const dry = await upload(
      admin,
      'items',
      'dry-run',
      (await admin.bytes('/api/v1/migration/items/template.xlsx')).body,
    );
    expect(dry.status).toBe(200);
    expect(dry.body.errors).toEqual([]);
  });
  it('an unknown kind is a 400; a role without migration.run gets 403', async () => {
    expect((await admin.get('/api/v1/migration/widgets/template.xlsx')).status).toBe(400);
    expect((await op.bytes('/api/v1/migration/items/template.xlsx')).status).toBe(403);
    const before = await markLedger(t.services);
    const r = await upload(op, 'customers', 'commit', 'code,Name (Chinese),Name (English)\nC-X,甲,A\n', 'c.csv');
    expect(r.status).toBe(403);
    await expectNothingWritten(t.services, before);
  });
});

describe('dry run and commit', () => {
  it('reports each bad row by row and column, in both languages, and writes nothing', async () => {
    const existing = (await admin.get('/api/v1/items')).body[0].partNumber as string;
    const file = await xlsx(ITEM_HEADER, [
      ['MIG-1', '导管', 'Catheter', 'component', 'pcs', 'lot', 365], // row 2: fine
      ['MIG-2', '阀', '', 'component', 'pcs', 'lot', null], // row 3: English name missing
      ['mig-1', '重复', 'Dup', 'component', 'pcs', 'lot', null], // row 4: part number twice (case folded)
      [existing, '已有', 'Existing', 'raw', 'kg', 'lot', null], // row 5: already in the database
      ['MIG-5', '套件', 'Kit', 'finished', 'pcs', 'serial', 'one year'], // row 6: not a number
      ['MIG-6', '胶', 'Glue', 'liquid', 'mL', 'lot', null], // row 7: not one of the types (mL: a unit of the list)
    ]);
    const before = await markLedger(t.services);
    const r = await upload(admin, 'items', 'dry-run', file);
    expect(r.status).toBe(200);
    const at = (row: number) => r.body.errors.filter((e: { row: number }) => e.row === row);
    expect(r.body.rows).toBe(6);
    expect(r.body.validRows).toBe(1);
    expect(at(2)).toEqual([]);
    expect(at(3)).toEqual([
      expect.objectContaining({ column: 'Name (English)', key: 'name.en', en: 'required', zh: '必填' }),
    ]);
    expect(at(4)).toEqual([
      expect.objectContaining({ column: 'Part number', key: 'partNumber', en: 'duplicate of row 2 in this file' }),
    ]);
    expect(at(5)).toEqual([expect.objectContaining({ column: 'Part number', en: `${existing} already exists` })]);
    expect(at(6)).toEqual([expect.objectContaining({ column: 'Shelf life (days)', key: 'shelfLifeDays' })]);
    expect(at(6)[0].zh).toMatch(/[\u4e00-\u9fff]/);
    expect(at(7)).toEqual([expect.objectContaining({ column: 'Type', key: 'type' })]);
    expect(r.body.file.sha256).toMatch(/^[0-9a-f]{64}$/);
    // a commit of the same file: 422 with the same report, nothing written
    const c = await upload(admin, 'items', 'commit', file);
    expect(c.status).toBe(422);
    expect(c.body.error.code).toBe('MIGRATION_REJECTED');
    expect(c.body.error.details.errors).toEqual(r.body.errors);
    await expectNothingWritten(t.services, before);
    expect((await admin.get('/api/v1/items?q=MIG-1')).body).toEqual([]);
  });

  it('a clean file is committed whole; the batch on the ledger names the file, its hash and each row', async () => {
    const file = await xlsx(ITEM_HEADER, [
      ['MIG-10', '导管', 'Catheter', 'component', 'pcs', 'lot', 365],
      ['MIG-11', '阀', 'Valve', 'raw', 'pcs', 'none', null],
    ]);
    const r = await upload(admin, 'items', 'commit', file, 'items.xlsx');
    expect(r.status).toBe(201);
    expect(r.body.created.map((c: { row: number }) => c.row)).toEqual([2, 3]);
    const list = (await admin.get('/api/v1/items?q=MIG-1')).body as Array<{
      partNumber: string;
      shelfLifeDays: number;
    }>;
    expect(list.map((i) => i.partNumber).sort()).toEqual(['MIG-10', 'MIG-11']);
    expect(list.find((i) => i.partNumber === 'MIG-10')!.shelfLifeDays).toBe(365);
    const batch = (await t.services.ledger.read(r.body.stream))[0];
    expect(batch.type).toBe('migration.imported');
    expect(batch.actor.name).toBeTruthy();
    expect(batch.data).toMatchObject({ kind: 'items', file: 'items.xlsx', sheet: 'Sheet1', rows: 2, format: 'xlsx' });
    expect((batch.data as { sha256: string }).sha256).toBe(r.body.sha256);
    // each created record is on the ledger as usual (item.created, actor the importer)
    const first = (await t.services.ledger.read(r.body.created[0].stream))[0];
    expect(first.type).toBe('item.created');
    expect(first.actor.id).toBe(batch.actor.id);
    // importing the same file again: every row is now a duplicate of the database, nothing written
    const before = await markLedger(t.services);
    const again = await upload(admin, 'items', 'commit', file);
    expect(again.status).toBe(422);
    expect(again.body.error.details.errors).toHaveLength(2);
    await expectNothingWritten(t.services, before);
  });

  it('CSV (RFC 4180) with a BOM, Chinese headers, quoted commas, quotes and line breaks', async () => {
    const csv =
      '\uFEFF客户编码,名称(中文),名称(英文),地址,国家/地区\r\n' +
      'CUS-M1,"北京,医院","Beijing ""General"" Hospital","1 Road\nBuilding 2",CN\r\n' +
      'CUS-M2,上海医院,Shanghai Hospital,,CN\r\n';
    const dry = await upload(admin, 'customers', 'dry-run', csv, 'c.csv');
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ rows: 2, validRows: 2, errors: [], ok: true });
    const r = await upload(admin, 'customers', 'commit', csv, 'c.csv');
    expect(r.status).toBe(201);
    const c = (await admin.get('/api/v1/customers')).body.find((x: { code: string }) => x.code === 'CUS-M1');
    expect(c.name).toEqual({ zh: '北京,医院', en: 'Beijing "General" Hospital' });
    expect(c.address).toBe('1 Road\nBuilding 2');
  });

  it('locations, and suppliers with their approved supplier list (QA) — the ASL needs the right to qualify', async () => {
    const loc = await upload(
      admin,
      'locations',
      'commit',
      'code,name.zh,name.en,kind,warehouse,area\nWH9-A-01,九号库,WH9 A01,storage,WH9,A\nWH9-Q,九号待检,WH9 quarantine,quarantine,WH9,\n',
      'l.csv',
    );
    expect(loc.status).toBe(201);
    expect((await admin.get('/api/v1/locations')).body.map((l: { code: string }) => l.code)).toEqual(
      expect.arrayContaining(['WH9-A-01', 'WH9-Q']),
    );
    const sup = 'code,name.zh,name.en,asl\nSUP-M1,迁移供方,Migrated supplier,MIG-10;mig-11\n';
    const byAdmin = await upload(admin, 'suppliers', 'dry-run', sup, 's.csv');
    expect(byAdmin.body.errors).toEqual([expect.objectContaining({ row: 2, column: 'asl', key: 'asl' })]);
    const bad = await upload(qa, 'suppliers', 'dry-run', 'code,name.zh,name.en,asl\nSUP-M2,乙,B,NOPE-404\n', 's.csv');
    expect(bad.body.errors).toEqual([
      expect.objectContaining({ row: 2, column: 'asl', en: 'no item with part number NOPE-404' }),
    ]);
    const r = await upload(qa, 'suppliers', 'commit', sup, 's.csv');
    expect(r.status).toBe(201);
    const s = (await qa.get('/api/v1/suppliers/SUP-M1')).body;
    expect(s.status).toBe('pending');
    expect(s.approvedItems?.length ?? s.approvedItemIds?.length).toBe(2);
  });

  it('suppliers with a certificate (ISO 13485 7.4.1 evidence): dates checked per cell, Excel date serials read as dates', async () => {
    const header = [
      'code',
      'name.zh',
      'name.en',
      'Certificate',
      'Certificate number',
      'Certificate issued (YYYY-MM-DD)',
      '证书有效期至(YYYY-MM-DD)',
    ];
    const bad = await upload(
      qa,
      'suppliers',
      'dry-run',
      await xlsx(header, [
        ['SUP-C1', '丙', 'C', 'ISO 13485', 'Q-1', '15/01/2025', '2028-01-14'], // a date in another format
        ['SUP-C2', '丁', 'D', 'ISO 13485', 'Q-2', '2025-01-15', null], // a certificate without its expiry
        ['SUP-C3', '戊', 'E', 'ISO 13485', 'Q-3', '2025-02-30', '2028-01-14'], // not a calendar date
      ]),
    );
    expect(bad.status).toBe(200);
    expect(bad.body.errors.map((e: { row: number; key: string }) => [e.row, e.key])).toEqual([
      [2, 'certDate'],
      [3, 'certExpiry'],
      [4, 'certDate'],
    ]);
    expect(bad.body.errors[1]).toMatchObject({
      column: '证书有效期至(YYYY-MM-DD)',
      en: 'a certificate needs its expiry date',
    });
    // 45672 is 2025-01-15 and 46766 is 2028-01-14 as Excel stores dates (days since 1899-12-30)
    const ok = await upload(
      qa,
      'suppliers',
      'commit',
      await xlsx(header, [['SUP-C4', '己', 'F', 'ISO 13485', 'Q-4', 45672, 46766]]),
    );
    expect(ok.status).toBe(201);
    const sup = (await qa.get('/api/v1/suppliers/SUP-C4')).body;
    expect(sup.evidence).toEqual([
      expect.objectContaining({
        kind: 'certificate',
        title: 'ISO 13485',
        reference: 'Q-4',
        date: '2025-01-15',
        expiryDate: '2028-01-14',
      }),
    ]);
  });
});

describe('what the readers refuse (400/413/415, nothing written, the server keeps serving)', () => {
  it('malformed files', async () => {
    const before = await markLedger(t.services);
    const good = await xlsx(ITEM_HEADER, [['MIG-99', '甲', 'A', 'raw', 'pcs', 'lot', null]]);
    const cases: Array<[string, Buffer | string, string, number]> = [
      ['not a zip but .xlsx', 'hello', 'x.xlsx', 400],
      ['truncated workbook', good.subarray(0, good.length - 30), 'x.xlsx', 400],
      ['zip without a workbook', pyZip({ 'a.txt': 'hi' }), 'x.xlsx', 400],
      [
        'broken XML',
        pyZip({ 'xl/workbook.xml': WORKBOOK, 'xl/worksheets/sheet1.xml': '<worksheet><sheetData><row>' }),
        'x.xlsx',
        400,
      ],
      [
        'a DTD (external entity)',
        pyZip({
          'xl/workbook.xml': WORKBOOK,
          'xl/worksheets/sheet1.xml':
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><worksheet><sheetData/></worksheet>',
        }),
        'x.xlsx',
        400,
      ],
      ['unclosed CSV quote', 'code,name.zh,name.en\n"C1,甲,A\n', 'c.csv', 400],
      ['quote inside an unquoted CSV field', 'code,name.zh,name.en\nC"1,甲,A\n', 'c.csv', 400],
      ['GBK CSV', Buffer.from([0x63, 0x6f, 0x64, 0x65, 0x0a, 0xbf, 0xcd, 0xbb, 0xa7, 0x0a]), 'c.csv', 400],
      ['UTF-16 CSV', Buffer.from('\uFEFFcode\n', 'utf16le'), 'c.csv', 400],
      ['an old .xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3]), 'x.xls', 415],
      ['a header but no rows', 'code,name.zh,name.en\n', 'c.csv', 400],
    ];
    for (const [what, bytes, name, status] of cases) {
      const r = await upload(admin, 'customers', 'commit', bytes, name);
      expect({ what, status: r.status }).toEqual({ what, status });
      expect(r.body.error.message, what).toBeTruthy();
    }
    await expectNothingWritten(t.services, before);
    expect((await admin.get('/api/v1/items')).status).toBe(200);
  });

  it('zip bombs: by declared size, and with a size that lies', async () => {
    const before = await markLedger(t.services);
    const huge = { repeat: ' ', times: 60 * 1024 * 1024 };
    const declared = pyZip({ 'xl/workbook.xml': WORKBOOK, 'xl/worksheets/sheet1.xml': huge });
    expect(declared.length).toBeLessThan(1024 * 1024);
    expect((await upload(admin, 'items', 'dry-run', declared)).status).toBe(413);
    const lying = pyZip(
      { 'xl/workbook.xml': WORKBOOK, 'xl/worksheets/sheet1.xml': huge },
      { name: 'xl/worksheets/sheet1.xml', size: 100 },
    );
    expect((await upload(admin, 'items', 'dry-run', lying)).status).toBe(413);
    await expectNothingWritten(t.services, before);
  });
});

describe('opening stock, equipment and its calibration history', () => {
  const STOCK = ['Part number', 'Lot number', 'Serial number (serialized items)', 'Location code', 'Quantity'];
  const DATES = ['Manufactured or received (YYYY-MM-DD)', 'Expiry date (YYYY-MM-DD)'];
  const keys = (r: { body: { errors: Array<{ row: number; key: string }> } }) =>
    r.body.errors.map((e) => [e.row, e.key]);

  it('opening stock: a dirty file is reported by row and column and writes nothing', async () => {
    const file = await xlsx(
      [...STOCK, ...DATES],
      [
        ['RM-PVX-001', 'OB-1', null, 'WH1-RAW-01', 100, '2025-01-10', '2029-01-10'], // 2: part number typo
        ['RM-PVC-001', 'OB-2', null, 'WH1-RAW-1', 100, '2025-01-10', '2029-01-10'], // 3: location typo
        ['RM-PVC-001', 'OB-3', null, 'WH1-RAW-01', 100, '15/01/2025', '2029-01-10'], // 4: dd/mm/yyyy
        ['RM-PVC-001', 'OB-4', null, 'WH1-RAW-01', 100, '2025-01-10', '2029.01.10'], // 5: yyyy.mm.dd
        ['RM-PVC-001', 'OB-5', null, 'WH1-RAW-01', 100, 'Jan 10 2025', '2029-01-10'], // 6: a month name
        ['RM-PVC-001', 'OB-6', null, 'WH1-RAW-01', null, '2025-01-10', '2029-01-10'], // 7: quantity missing
        ['RM-PVC-001', 'OB-7', null, 'WH1-RAW-01', 100, '2025-01-10', '2024-12-31'], // 8: expires before received
        ['FG-PMP-1', 'OB-8', 'SN-OB-1', 'WH2-FG-01', 2, null, null], // 9: a serial of quantity 2
        ['RM-PVC-001', 'ob-1', null, 'WH1-RAW-01', 100, '2025-01-10', '2029-01-10'], // 10: fine
        ['RM-PVC-001', 'OB-1', null, 'WH1-RAW-01', 5, '2025-01-10', '2029-01-10'], // 11: duplicate lot of row 10
        ['RM-PVC-001', 'OB-9', null, 'WH1-QA-01', 5, '2025-01-10', '2029-01-10'], // 12: not a storage location
      ],
    );
    const before = await markLedger(t.services);
    const r = await upload(qa, 'opening-stock', 'dry-run', file);
    expect(r.status).toBe(200);
    expect(keys(r)).toEqual([
      [2, 'partNumber'],
      [3, 'location'],
      [4, 'mfgDate'],
      [5, 'expiryDate'],
      [6, 'mfgDate'],
      [7, 'quantity'],
      [8, 'expiryDate'],
      [9, 'quantity'],
      [11, 'lotNumber'],
      [12, 'location'],
    ]);
    const at = (row: number) => r.body.errors.find((e: { row: number }) => e.row === row);
    expect(at(2)).toMatchObject({ column: 'Part number', en: 'no item with part number RM-PVX-001' });
    expect(at(4)).toMatchObject({ column: 'Manufactured or received (YYYY-MM-DD)', en: 'a date like 2026-12-01' });
    expect(at(7)).toMatchObject({ column: 'Quantity', en: 'required', zh: '必填' });
    expect(at(9).en).toBe('a serialized unit has quantity 1');
    expect(at(11).en).toBe('duplicate of row 10 in this file');
    expect(r.body.validRows).toBe(1);
    const c = await upload(qa, 'opening-stock', 'commit', file);
    expect(c.status).toBe(422);
    await expectNothingWritten(t.services, before);
    // releasing stock is QA's: the administrator's dry run is refused on the lot
    const byAdmin = await upload(
      admin,
      'opening-stock',
      'dry-run',
      'partNumber,lotNumber,location,quantity,expiryDate\nRM-PVC-001,OB-X,WH1-RAW-01,1,2029-01-01\n',
      's.csv',
    );
    expect(byAdmin.body.errors).toEqual([expect.objectContaining({ row: 2, key: 'lotNumber' })]);
  });

  it('opening stock: a clean file makes released lots and serials in their locations, from the file', async () => {
    const file = await xlsx(
      [...STOCK, ...DATES],
      [
        ['RM-PVC-001', 'OB-100', null, 'WH1-RAW-01', 250, 45667 /* 2025-01-10 as Excel stores it */, '2029-01-10'],
        ['FG-PMP-1', 'OB-101', 'SN-OB-101', 'WH2-FG-01', 1, null, null],
      ],
    );
    const r = await upload(qa, 'opening-stock', 'commit', file, 'stock.xlsx');
    expect(r.status).toBe(201);
    const [lot, unit] = await Promise.all(
      r.body.created.map((c: { stream: string }) => t.services.ledger.read(c.stream)),
    );
    expect(lot[0].type).toBe('lot.received');
    expect(lot[0].data).toMatchObject({
      lotNumber: 'OB-100',
      quantity: 250,
      location: 'WH1-RAW-01',
      status: 'released',
      mfgDate: '2025-01-10',
      expiryDate: '2029-01-10',
      source: 'opening-balance',
      kind: 'lot',
    });
    expect(unit[0].data).toMatchObject({ kind: 'serial', serial: 'SN-OB-101', quantity: 1, status: 'released' });
    const inv = (await qa.get('/api/v1/inventory?q=OB-100')).body as Array<{ lotNumber: string; status: string }>;
    expect(inv).toEqual([expect.objectContaining({ lotNumber: 'OB-100', status: 'released' })]);
    const batch = (await t.services.ledger.read(r.body.stream))[0];
    expect(batch.data).toMatchObject({ kind: 'opening-stock', file: 'stock.xlsx', sheet: 'Sheet1' });
    expect((batch.data as { created: Array<{ row: number }> }).created.map((c) => c.row)).toEqual([2, 3]);
    // the same lot again is a duplicate of the database
    const again = await upload(qa, 'opening-stock', 'dry-run', file);
    expect(keys(again)).toEqual([
      [2, 'lotNumber'],
      [3, 'lotNumber'],
    ]);
  });

  it('equipment then its calibration history: the due date is the last calibration plus the interval (ISO 13485 7.6)', async () => {
    const EQ = [
      'Equipment code',
      'Name (Chinese)',
      'Name (English)',
      'Type',
      'Location',
      'Calibration interval (days)',
      'Last calibrated (YYYY-MM-DD)',
    ];
    const dirty = await xlsx(EQ, [
      ['EQ-M1', '卡尺', 'Caliper', 'caliper', 'QC lab', 365, '01/09/2025'], // 2: a date in another format
      ['EQ-M2', '', 'Gauge', 'gauge', 'QC lab', 180, null], // 3: Chinese name missing
      ['EQ M3', '秤', 'Scale', 'scale', 'QC lab', 'yearly', null], // 4: a code with a space, interval not a number
    ]);
    const before = await markLedger(t.services);
    const bad = await upload(qa, 'equipment', 'dry-run', dirty);
    expect(keys(bad)).toEqual([
      [2, 'lastCalibratedOn'],
      [3, 'name.zh'],
      [4, 'code'],
      [4, 'calibrationIntervalDays'],
    ]);
    expect(bad.body.errors[1]).toMatchObject({ column: 'Name (Chinese)', en: 'required' });
    expect((await upload(qa, 'equipment', 'commit', dirty)).status).toBe(422);
    await expectNothingWritten(t.services, before);

    const eq = await upload(
      qa,
      'equipment',
      'commit',
      await xlsx(EQ, [
        ['EQ-M1', '卡尺', 'Caliper', 'caliper', 'QC lab', 365, '2025-09-01'],
        ['EQ-M2', '压力表', 'Gauge', 'gauge', 'QC lab', 180, null],
      ]),
    );
    expect(eq.status).toBe(201);
    const list = (await qa.get('/api/v1/equipment')).body as Array<{
      code: string;
      calibrationDue: string | null;
      id: string;
    }>;
    // 2025-09-01 + 365 days = 2026-09-01
    expect(list.find((q) => q.code === 'EQ-M1')).toMatchObject({ calibrationDue: '2026-09-01' });

    const CAL = ['Equipment code', 'Calibrated on (YYYY-MM-DD)', 'Result (pass/fail)', 'Certificate number'];
    const dirtyCal = await xlsx(CAL, [
      ['EQ-M9', '2025-01-05', 'pass', 'C-1'], // 2: no such equipment
      ['EQ-M1', '2025-03-01', 'pass', 'C-2'], // 3: older than the last calibration
      ['EQ-M2', '2025-06-01', 'pass', 'C-3'], // 4: fine
      ['EQ-M2', '2025-02-01', 'pass', 'C-4'], // 5: out of order after row 4
      ['EQ-M2', '2025/07/01', 'passed', null], // 6: date format, result, certificate missing
    ]);
    const before2 = await markLedger(t.services);
    const badCal = await upload(qa, 'calibrations', 'dry-run', dirtyCal);
    expect(keys(badCal)).toEqual([
      [2, 'equipment'],
      [3, 'date'],
      [6, 'certificate'],
      [6, 'date'],
      [6, 'result'],
      [5, 'date'],
    ]);
    expect((await upload(qa, 'calibrations', 'commit', dirtyCal)).status).toBe(422);
    await expectNothingWritten(t.services, before2);

    const cal = await upload(
      qa,
      'calibrations',
      'commit',
      await xlsx(CAL, [
        ['EQ-M2', '2024-12-01', 'pass', 'C-10'],
        ['EQ-M2', '2025-06-01', 'pass', 'C-11'],
      ]),
    );
    expect(cal.status).toBe(201);
    const m2 = (await qa.get('/api/v1/equipment')).body.find((q: { code: string }) => q.code === 'EQ-M2');
    // 2025-06-01 + 180 days = 2025-11-28
    expect(m2).toMatchObject({ lastCalibratedOn: '2025-06-01', calibrationDue: '2025-11-28' });
  });
});

describe('users, then their training records (issue 14 item 3)', () => {
  const USERS = ['Username', 'Full name (English)', 'Full name (Chinese)', 'E-mail', 'Roles', 'Active (yes/no)'];
  const TRAIN = ['用户名', '文件编号', '版本', '完成日期(YYYY-MM-DD)', '培训人/证据']; // the Chinese headers
  const keys = (r: { body: { errors: Array<{ row: number; key: string }> } }) =>
    r.body.errors.map((e) => [e.row, e.key]);
  const addDays = (d: string, n: number) =>
    new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

  it('users: duplicates (file and database), unknown roles, bad e-mail reported by row and column; nothing written', async () => {
    const dirty = await xlsx(USERS, [
      ['mig.ok', 'Ok Person', '好人', 'ok@example.com', 'operator', 'yes'], // 2: fine
      ['MIG.OK', 'Twice', null, 'twice@example.com', 'operator', null], // 3: row 2 again (case folded)
      ['admin', 'Admin Again', null, 'a@example.com', 'administrator', 'yes'], // 4: already a user
      ['mig.role', 'Role Typo', null, 'r@example.com', 'operator; wizard', 'yes'], // 5: unknown role code
      ['mig.mail', 'Bad Mail', null, 'not-an-email', 'reviewer', 'yes'], // 6: bad e-mail
      ['mig.act', 'Maybe', null, 'm@example.com', 'reviewer', 'maybe'], // 7: active neither yes nor no
    ]);
    const before = await markLedger(t.services);
    const r = await upload(admin, 'users', 'dry-run', dirty);
    expect(r.status).toBe(200);
    expect(keys(r)).toEqual([
      [3, 'username'],
      [4, 'username'],
      [5, 'roles'],
      [6, 'email'],
      [7, 'active'],
    ]);
    expect(r.body.errors[2]).toMatchObject({ column: 'Roles' });
    expect(r.body.errors[3].zh).toMatch(/[\u4e00-\u9fff]/);
    expect((await upload(admin, 'users', 'commit', dirty)).status).toBe(422);
    // QA manager may run migrations but not manage users
    const qaTry = await upload(
      qa,
      'users',
      'dry-run',
      await xlsx(USERS, [['mig.qa', 'Q', null, 'q@example.com', 'operator', 'yes']]),
    );
    expect(keys(qaTry)).toEqual([[2, 'username']]);
    await expectNothingWritten(t.services, before);
  });

  let docNumber = '',
    docId = '',
    rev = '',
    effectiveDate = '';
  it('users are created whole through the identity module, in the directory, with no usable password', async () => {
    const r = await upload(
      admin,
      'users',
      'commit',
      await xlsx(USERS, [
        ['mig.li', 'Li Wei', '李伟', 'li.wei@example.com', 'operator; reviewer', '是'],
        ['mig.old', 'Old Hand', null, 'old@example.com', 'operator', 'no'],
        ['mig.wang', 'Wang Fang', '王芳', 'wang.fang@example.com', 'operator', null],
      ]),
      'staff.xlsx',
    );
    expect(r.status).toBe(201);
    expect(JSON.stringify(r.body)).not.toMatch(/password/i);
    const dir = (await qa.get('/api/v1/users')).body as Array<{
      username: string;
      fullName: string;
      status: string;
      roles: string[];
    }>;
    expect(dir.find((u) => u.username === 'mig.li')).toMatchObject({
      fullName: '李伟 (Li Wei)',
      status: 'active',
      roles: ['operator', 'reviewer'],
    });
    expect(dir.find((u) => u.username === 'mig.old')).toMatchObject({ status: 'disabled' });
    const batch = (await t.services.ledger.read(r.body.stream))[0];
    expect(batch.data).toMatchObject({ kind: 'users', file: 'staff.xlsx', sheet: 'Sheet1' });
    expect((batch.data as { created: Array<{ row: number; key: string }> }).created).toEqual([
      expect.objectContaining({ row: 2, key: 'mig.li' }),
      expect.objectContaining({ row: 3, key: 'mig.old' }),
      expect.objectContaining({ row: 4, key: 'mig.wang' }),
    ]);
    // must change the password it was never told: sign-in refused until an administrator resets it
    const login = await fetch(`${t.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'mig.li', password: 'Provenant-Demo-2026!' }),
    });
    expect(login.status).toBe(401);
    const docs = (await admin.get('/api/v1/documents?pageSize=200')).body.items as Array<{
      id: string;
      number: string;
      state: string;
      revision: string;
      effectiveDate: string | null;
    }>;
    const d = docs.find((x) => x.state === 'effective' && x.effectiveDate)!;
    [docNumber, docId, rev, effectiveDate] = [d.number, d.id, d.revision, d.effectiveDate!];
  });

  it('training: dirty rows by row and column, one bad row refuses the whole file; nothing written', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const dirty = await xlsx(TRAIN, [
      ['mig.li', docNumber, rev, effectiveDate, 'classroom'], // 2: fine
      ['nobody', docNumber, rev, effectiveDate, null], // 3: no such user
      ['mig.li', 'NOPE-001', rev, effectiveDate, null], // 4: no such document
      ['mig.old', docNumber, 'Z', effectiveDate, null], // 5: no such revision
      ['mig.old', docNumber, rev, addDays(today, 2), null], // 6: in the future
      ['mig.wang', docNumber, rev, addDays(effectiveDate, -1), null], // 7: before the revision was effective
      ['MIG.LI', docNumber, rev, effectiveDate, null], // 8: row 2 again
    ]);
    const before = await markLedger(t.services);
    const r = await upload(admin, 'training', 'dry-run', dirty);
    expect(keys(r)).toEqual([
      [3, 'username'],
      [4, 'document'],
      [5, 'revision'],
      [6, 'completedOn'],
      [7, 'completedOn'],
      [8, 'username'],
    ]);
    expect(r.body.errors[0]).toMatchObject({ column: '用户名', en: 'no user nobody' });
    // one bad row among good ones: nothing is imported
    const one = await upload(
      admin,
      'training',
      'commit',
      await xlsx(TRAIN, [
        ['mig.li', docNumber, rev, effectiveDate, 'classroom'],
        ['mig.old', docNumber, rev, addDays(today, 2), null],
      ]),
    );
    expect(one.status).toBe(422);
    await expectNothingWritten(t.services, before);
  });

  it('training: migrated completion is done in the matrix, names its source row, and claims no signature', async () => {
    const r = await upload(
      admin,
      'training',
      'commit',
      await xlsx(TRAIN, [['mig.li', docNumber, rev, effectiveDate, 'Classroom, trainer Zhang; TR-12']]),
      'training.xlsx',
    );
    expect(r.status).toBe(201);
    const li = (await admin.get('/api/v1/users')).body.find((u: { username: string }) => u.username === 'mig.li');
    const cell = (await qa.get(`/api/v1/training-matrix?documentId=${docId}`)).body.find(
      (c: { userId: string }) => c.userId === li.id,
    );
    expect(cell).toMatchObject({ status: 'current', revision: rev, completedAt: effectiveDate });
    const tr = await qa.get(`/api/v1/training/${cell.trainingId}`);
    expect(tr.body).toMatchObject({ status: 'done', signatureId: null, actions: [] });
    expect(tr.body.migrated).toMatchObject({
      completedOn: effectiveDate,
      note: 'Classroom, trainer Zhang; TR-12',
      source: { batch: r.body.batchId, file: 'training.xlsx', sheet: 'Sheet1', row: 2 },
    });
    const events = await t.services.ledger.read(`training:${cell.trainingId}`);
    expect(events.map((e) => e.type)).toEqual(['training.assigned', 'training.migrated']);
    expect(events[1].actor).toMatchObject({
      id: (await admin.get('/api/v1/auth/me')).body.user?.id ?? expect.any(String),
    });
    // the same again: already completed
    const again = await upload(
      admin,
      'training',
      'dry-run',
      await xlsx(TRAIN, [['mig.li', docNumber, rev, effectiveDate, null]]),
    );
    expect(again.body.errors).toEqual([expect.objectContaining({ row: 2, key: 'username' })]);
    expect(again.body.errors[0].en).toMatch(/already completed/);
  });
});

describe('the document register: a ZIP of the .xlsx register and its files (issue 14 item 3)', () => {
  const DOC = [
    'number',
    'title.en',
    'title.zh',
    'type',
    'department',
    'revision',
    'effectiveDate',
    'file',
    'superseded',
    'owner',
    'reviewers',
    'approvers',
    'trainees',
  ];
  const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`);
  const bundle = async (rows: Cell[][], files: Record<string, Buffer>) => {
    const z = new JSZip();
    z.file('register.xlsx', await xlsx(DOC, rows));
    for (const [n, b] of Object.entries(files)) z.file(n, b);
    return z.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  };
  const blobs = () => t.services.db.collection('blobs').countDocuments({});
  const keys = (r: { body: { errors: Array<{ row: number; key: string }> } }) =>
    r.body.errors.map((e) => [e.row, e.key]).sort((a, b) => Number(a[0]) - Number(b[0]));
  const past = '2024-03-01';
  type People = { owner?: string | null; reviewers?: string | null; approvers?: string | null; trainees?: string };
  const row = (
    n: string,
    rev: string,
    date: string,
    file: string,
    sup: string,
    type = 'sop',
    p: People = {},
  ): Cell[] => [
    n,
    `Title ${n}`,
    `标题 ${n}`,
    type,
    'QA',
    rev,
    date,
    file,
    sup,
    p.owner ?? null,
    p.reviewers === undefined ? 'reviewer' : p.reviewers,
    p.approvers === undefined ? 'qa.manager' : p.approvers,
    p.trainees ?? null,
  ];

  it('template in both languages; a plain workbook is refused (the files must come with it)', async () => {
    const r = await admin.bytes('/api/v1/migration/documents/template.xlsx');
    expect(r.status).toBe(200);
    const [header, example] = values(readXlsx(r.body));
    expect(header[0]).toBe('Document number / 文件编号 *');
    for (const h of header) expect(String(h)).toMatch(/ \/ .*[\u4e00-\u9fff]/);
    expect(example).toContain('files/SOP-QA-001_B.pdf');
    // the people (ISO 13485:2016 4.2.4 a): reviewers and approvers required, owner and trainees optional
    expect(header).toEqual(
      expect.arrayContaining([
        'Owner (username) / 负责人(用户名)',
        'Reviewers (usernames, separated by ;) / 审核人(用户名,以 ; 分隔) *',
        'Approvers (usernames, separated by ;) / 批准人(用户名,以 ; 分隔) *',
        'Trainees (usernames or role codes, separated by ;) / 培训对象(用户名或角色代码,以 ; 分隔)',
      ]),
    );
    const kinds = (await admin.get('/api/v1/migration/kinds')).body as Array<{ kind: string }>;
    expect(kinds.map((k) => k.kind)).toContain('documents');
    const plain = await upload(admin, 'documents', 'dry-run', await xlsx(DOC, [row('X-1', 'A', past, 'a.pdf', 'no')]));
    expect(plain.status).toBe(400);
  });

  it('a dirty bundle: each bad row by row and column, nothing written (no events, no stored files)', async () => {
    const seeded = (await admin.get('/api/v1/documents?pageSize=1')).body.items[0].number as string;
    const today = new Date().toISOString().slice(0, 10);
    const future = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const zip = await bundle(
      [
        row('MIG-DOC-1', 'B', past, 'files/b.pdf', 'no'), // 2: fine
        row('MIG-DOC-1', 'A', '2023-01-01', 'files/missing.pdf', 'yes'), // 3: not in the ZIP
        row('MIG-DOC-2', 'A', past, 'files/b.pdf', 'no', 'manual'), // 4: unknown type
        row(seeded, 'A', past, 'files/b.pdf', 'no'), // 5: the number exists
        row('MIG-DOC-3', 'A', future, 'files/b.pdf', 'no'), // 6: in the future
        row('MIG-DOC-4', 'A', past, 'files/b.pdf', 'no'), // 7: fine alone…
        row('MIG-DOC-4', 'B', today, 'files/b.pdf', 'no'), // 8: …but two current rows for one number
        row('MIG-DOC-5', 'A', past, 'files/b.pdf', 'no'), // 9: current A
        row('MIG-DOC-5', 'C', '2023-01-01', 'files/b.pdf', 'yes'), // 10: superseded C after current A
        row('MIG-DOC-1', 'B', past, 'files/b.pdf', 'no'), // 11: row 2 again
        row('MIG-DOC-6', 'A', past, 'files/notes.txt', 'no'), // 12: not a document file type
      ],
      { 'files/b.pdf': pdf('b'), 'files/notes.txt': Buffer.from('plain text') },
    );
    const before = await markLedger(t.services);
    const stored = await blobs();
    const r = await upload(admin, 'documents', 'dry-run', zip, 'register.zip');
    expect(r.status).toBe(200);
    expect(r.body.file).toMatchObject({ name: 'register.zip', format: 'zip', workbook: 'register.xlsx' });
    expect(keys(r)).toEqual([
      [3, 'file'],
      [4, 'type'],
      [5, 'number'],
      [6, 'effectiveDate'],
      [8, 'superseded'],
      [10, 'revision'],
      [11, 'number'],
      [12, 'file'],
    ]);
    const by = (n: number) => r.body.errors.find((e: { row: number }) => e.row === n);
    expect(by(3)).toMatchObject({ column: 'file', en: 'files/missing.pdf is not in the ZIP' });
    expect(by(5).en).toBe(`${seeded} already exists`);
    expect(by(8).zh).toMatch(/第 7 行/);
    expect((await upload(admin, 'documents', 'commit', zip, 'register.zip')).status).toBe(422);
    // a path that climbs out of the bundle is refused whole
    const evil = new JSZip();
    evil.file('register.xlsx', await xlsx(DOC, [row('X-1', 'A', past, 'a.pdf', 'no')]));
    evil.file('../a.pdf', pdf('a'));
    const slip = await upload(admin, 'documents', 'dry-run', await evil.generateAsync({ type: 'nodebuffer' }), 'e.zip');
    expect(slip.status).toBe(400);
    await expectNothingWritten(t.services, before);
    expect(await blobs()).toBe(stored);
  });

  it('one bad row refuses the whole bundle', async () => {
    const future = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const before = await markLedger(t.services);
    const stored = await blobs();
    const r = await upload(
      admin,
      'documents',
      'commit',
      await bundle([row('MIG-DOC-7', 'A', past, 'x.pdf', 'no'), row('MIG-DOC-8', 'A', future, 'x.pdf', 'no')], {
        'x.pdf': pdf('x'),
      }),
      'register.zip',
    );
    expect(r.status).toBe(422);
    expect(keys({ body: r.body.error.details })).toEqual([[3, 'effectiveDate']]);
    await expectNothingWritten(t.services, before);
    expect(await blobs()).toBe(stored);
  });

  it('a clean bundle: the document effective on its legacy number, files downloadable, sources on the ledger, no signatures', async () => {
    const a = pdf('MIG-DOC-10 revision A');
    const b = pdf('MIG-DOC-10 revision B');
    const r = await upload(
      admin,
      'documents',
      'commit',
      await bundle(
        [
          row('MIG-DOC-10', 'B', '2024-05-02', 'files/MIG-DOC-10_B.pdf', 'no'),
          row('MIG-DOC-10', 'A', '2022-01-10', 'files/MIG-DOC-10_A.pdf', 'yes'),
          row('MIG-WI-11', 'C', past, 'MIG-WI-11.pdf', '否', 'work_instruction'),
        ],
        { 'files/MIG-DOC-10_A.pdf': a, 'files/MIG-DOC-10_B.pdf': b, 'MIG-WI-11.pdf': pdf('wi') },
      ),
      'register.zip',
    );
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ kind: 'documents', format: 'zip', file: 'register.zip', rows: 3 });
    const item = (await admin.get('/api/v1/documents?q=MIG-DOC-10')).body.items.find(
      (d: { number: string }) => d.number === 'MIG-DOC-10',
    );
    expect(item).toMatchObject({ state: 'effective', revision: 'B', effectiveDate: '2024-05-02' });
    const d = (await qa.get(`/api/v1/documents/${item.id}`)).body;
    expect(d).toMatchObject({ number: 'MIG-DOC-10', type: 'sop', department: 'QA', effective: 'B' });
    expect(d.title).toEqual({ en: 'Title MIG-DOC-10', zh: '标题 MIG-DOC-10' });
    expect(d.revisions.map((x: { revision: string; state: string }) => [x.revision, x.state])).toEqual([
      ['A', 'superseded'],
      ['B', 'effective'],
    ]);
    const source = { batch: r.body.batchId, file: 'register.zip', sheet: 'Sheet1', sha256: r.body.sha256 };
    expect(d.revisions[1]).toMatchObject({ reviews: [], approvals: [], migrated: { ...source, row: 2 } });
    expect(d.revisions[0].migrated).toMatchObject({ ...source, row: 3 });
    for (const [rev, bytes] of [
      ['A', a],
      ['B', b],
    ] as const) {
      const f = await qa.bytes(`/api/v1/documents/${item.id}/revisions/${rev}/content`);
      expect(f.status).toBe(200);
      const sha = createHash('sha256').update(bytes).digest('hex');
      expect(createHash('sha256').update(f.body).digest('hex')).toBe(sha);
      expect(d.revisions.find((x: { revision: string }) => x.revision === rev).file).toMatchObject({
        sha256: sha,
        name: `MIG-DOC-10_${rev}.pdf`,
        mime: 'application/pdf',
      });
    }
    // one event, no signature: none was given in Provenant (21 CFR 11.50)
    const events = await t.services.ledger.read(`document:${item.id}`);
    // (the effective-date sweep may add that training was assigned: nobody is named to train)
    expect(events[0].type).toBe('document.migrated');
    for (const e of events.slice(1))
      expect(e).toMatchObject({ type: 'document.trainingAssigned', data: { trainings: 0 } });
    expect((await t.services.ledger.read(`docnumber:MIG-DOC-10`)).map((e) => e.type)).toEqual(['numbering.claimed']);
    const batch = await t.services.ledger.read(r.body.stream);
    expect(batch[0].data).toMatchObject({ kind: 'documents', format: 'zip', sha256: r.body.sha256 });
    expect((batch[0].data as { created: unknown[] }).created).toEqual([
      { row: 2, stream: `document:${item.id}`, key: 'MIG-DOC-10' },
      { row: 3, stream: `document:${item.id}`, key: 'MIG-DOC-10' },
      expect.objectContaining({ row: 4, key: 'MIG-WI-11' }),
    ]);
    // the legacy number is taken for good: the same bundle again is refused at its rows
    const again = await upload(
      admin,
      'documents',
      'dry-run',
      await bundle([row('MIG-DOC-10', 'C', past, 'c.pdf', 'no')], { 'c.pdf': pdf('c') }),
    );
    expect(again.body.errors).toEqual([
      expect.objectContaining({ row: 2, key: 'number', en: 'MIG-DOC-10 already exists' }),
    ]);
  });
  it('people: unknown user, reviewer without the role, owner as approver, rows disagreeing — by row and column, nothing written', async () => {
    const before = await markLedger(t.services);
    const stored = await blobs();
    const r = await upload(
      admin,
      'documents',
      'dry-run',
      await bundle(
        [
          row('MIG-P-1', 'A', past, 'p.pdf', 'no', 'sop', { owner: 'nobody.here' }), // 2: unknown owner
          row('MIG-P-2', 'A', past, 'p.pdf', 'no', 'sop', { reviewers: 'reviewer;operator' }), // 3: an operator may not review
          row('MIG-P-3', 'A', past, 'p.pdf', 'no', 'sop', { owner: 'qa.engineer', approvers: 'qa.engineer' }), // 4: owner approves
          row('MIG-P-4', 'A', past, 'p.pdf', 'no', 'sop', { reviewers: 'ghost' }), // 5: unknown reviewer
          row('MIG-P-5', 'B', past, 'p.pdf', 'no'), // 6: current
          row('MIG-P-5', 'A', '2023-01-01', 'p.pdf', 'yes', 'sop', { approvers: 'qa.engineer' }), // 7: other approver
          row('MIG-P-6', 'A', past, 'p.pdf', 'no', 'sop', { reviewers: null }), // 8: no reviewers
          row('MIG-P-7', 'A', past, 'p.pdf', 'no', 'sop', { trainees: 'operator2;nobody.here' }), // 9: unknown trainee
        ],
        { 'p.pdf': pdf('p') },
      ),
      'register.zip',
    );
    expect(r.status).toBe(200);
    expect(keys(r)).toEqual([
      [2, 'owner'],
      [3, 'reviewers'],
      [4, 'approvers'],
      [5, 'reviewers'],
      [7, 'approvers'],
      [8, 'reviewers'],
      [9, 'trainees'],
    ]);
    const by = (n: number) => r.body.errors.find((e: { row: number }) => e.row === n);
    expect(by(2)).toMatchObject({ column: 'owner', en: 'no active user "nobody.here"' });
    // the signer-role rule (signerRoles.ts), as GET /document-signer-roles gives it for an SOP
    const allowed = (await admin.get('/api/v1/document-signer-roles')).body;
    expect(JSON.stringify(allowed)).toMatch(/reviewer/);
    expect(by(3).en).toMatch(/\(operator\) may not review a document of type sop/);
    expect(by(3).zh).toMatch(/[\u4e00-\u9fff]/);
    expect(by(4).en).toBe('the owner (qa.engineer) cannot approve their own document');
    expect(by(5).en).toBe('no active user "ghost"');
    expect(by(7).en).toMatch(/not the same as on row 6 \(qa\.manager\)/);
    expect(by(8).en).toBe('required');
    expect(
      await upload(
        admin,
        'documents',
        'commit',
        await bundle(
          [row('MIG-P-3', 'A', past, 'p.pdf', 'no', 'sop', { owner: 'qa.engineer', approvers: 'qa.engineer' })],
          { 'p.pdf': pdf('p') },
        ),
        'r.zip',
      ),
    ).toMatchObject({ status: 422 });
    await expectNothingWritten(t.services, before);
    expect(await blobs()).toBe(stored);
  });

  it('a migrated document with its people continues its life: the owner starts B, the named reviewer and approver sign, B is effective', async () => {
    const r = await upload(
      admin,
      'documents',
      'commit',
      await bundle(
        [
          row('MIG-DOC-20', 'A', past, 'MIG-DOC-20_A.pdf', 'no', 'sop', {
            owner: 'author',
            reviewers: 'reviewer',
            approvers: 'QA.Manager',
            trainees: 'operator2;qa_engineer',
          }),
        ],
        { 'MIG-DOC-20_A.pdf': pdf('MIG-DOC-20 A') },
      ),
      'register.zip',
    );
    expect(r.status).toBe(201);
    const id = (await admin.get('/api/v1/documents?q=MIG-DOC-20')).body.items[0].id as string;
    const author = await as(t.url, 'author');
    const reviewer = await as(t.url, 'reviewer');
    const ids = await userIds(author);
    const d = (await author.get(`/api/v1/documents/${id}`)).body;
    expect(d).toMatchObject({ number: 'MIG-DOC-20', effective: 'A', owner: { id: ids.author } });
    expect(d.reviewers.map((p: { id: string }) => p.id)).toEqual([ids.reviewer]);
    expect(d.approvers.map((p: { id: string }) => p.id)).toEqual([ids['qa.manager']]);
    expect(d.trainees).toEqual({ roles: ['qa_engineer'], users: [ids.operator2] });
    // revision B through the ordinary routes, signed with the password (21 CFR 11.200)
    expect((await act(author, id, 'new_revision')).status).toBeLessThan(300);
    expect((await uploadContent(author, id)).status).toBeLessThan(300);
    expect((await act(author, id, 'submit')).status).toBeLessThan(300);
    expect((await act(reviewer, id, 'review', sign)).status).toBeLessThan(300);
    expect((await act(qa, id, 'approve', sign)).status).toBeLessThan(300);
    const after = (await author.get(`/api/v1/documents/${id}`)).body;
    expect(after).toMatchObject({ effective: 'B', state: 'effective' });
    expect(after.revisions.map((x: { revision: string; state: string }) => [x.revision, x.state])).toEqual([
      ['A', 'superseded'],
      ['B', 'effective'],
    ]);
    const e = (await t.services.ledger.read(`document:${id}`))[0];
    expect(e.data).toMatchObject({ owner: { id: ids.author }, reviewers: [{ id: ids.reviewer }] });
    // an event written before the register named people still reads: no signers, as it was
    const { reviewers: _r, approvers: _a, trainees: _t, ...older } = e.data as Record<string, unknown>;
    const old = documentRecord.reduce(undefined, { ...e, data: older });
    expect(old).toMatchObject({ reviewers: [], approvers: [], trainees: { roles: [], users: [] }, effective: 'A' });
  });
});
