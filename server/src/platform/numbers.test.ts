import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, Client, DEMO_PASSWORD, startTestServer, type TestServer } from '../../test/harness.ts';
import { addDays, todayUtc } from './dates.ts';
import { loadConfig } from './config.ts';
import { LOT_SIZE_MAX, MONEY_MAX, QTY_MAX, amountOf, fromText, hasDecimals, sumQty, whole } from './fields.ts';

// Issue 9, findings 1 and 24: every number that enters is finite, inside its domain's bounds,
// with the domain's precision; arithmetic on quantities cannot leave those bounds; and every
// door (PO, receipt, lot, work order, sampling plan) applies the same limits. Through HTTP on
// the real engine; each refusal leaves the ledger's event count as it was.
let t: TestServer;
let purchaser: Client, wh: Client, sup: Client, op: Client, qa: Client, qaEng: Client;
const items = new Map<string, string>();
const events = async () => (await wh.get('/api/v1/health')).body.ledger.events as number;
const due = addDays(todayUtc(), 10);

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  [purchaser, wh, sup, op, qa, qaEng] = await Promise.all(
    ['purchaser', 'warehouse', 'prod.supervisor', 'operator', 'qa.manager', 'qa.engineer'].map((u) => as(t.url, u)),
  );
  for (const i of (await wh.get('/api/v1/items')).body) items.set(i.partNumber, i.id);
});
afterAll(async () => {
  await t?.stop();
});

/** Sends a JSON body as text, so that numbers JSON.stringify cannot write (1e309, 2^53 + 1) reach the server as typed. */
async function raw(c: Client, method: string, path: string, text: string) {
  const res = await fetch(t.url + path, {
    method,
    headers: {
      'content-type': 'application/json',
      'accept-language': 'en-US',
      cookie: c.cookie,
      'x-csrf-token': c.csrf,
    },
    body: text,
  });
  return { status: res.status, body: (await res.json()) as any };
}
/** `body` with the value at the dotted path `at` replaced by the raw JSON text `value`. */
function withRaw(body: Record<string, unknown>, at: string, value: string) {
  const copy = structuredClone(body) as any;
  const keys = at.split('.');
  let o = copy;
  for (const k of keys.slice(0, -1)) o = o[k];
  o[keys.at(-1)!] = '__N__';
  return JSON.stringify(copy).replace('"__N__"', value);
}

// The inputs of the review, and their relatives: huge, non-finite (1e309 parses to Infinity),
// negative, beyond the domain, beyond 2^53, too precise, a number as a string, null.
const COMMON = ['1e306', '1e309', '-1e309', '9007199254740993', '"12"', 'null', '"NaN"', '{"$gt":0}'];
const BAD = {
  quantity: [...COMMON, '1e10', '-1', '0', '0.0001', '1e-7', String(QTY_MAX + 0.001)],
  quantityOrZero: [...COMMON, '1e10', '-1', '0.0001', '1e-7', String(QTY_MAX + 1)],
  delta: [...COMMON, '1e10', '0', '0.0001', '1e-7', String(-QTY_MAX - 1)],
  price: [...COMMON, '1e10', '-1', '0.00001', '1000000001'],
  money: [...COMMON, '-1', '0.001', '1e13'],
  measure: [...COMMON, '1e10', '0.0000001', '-1e10'],
  // a step value may come as the decimal text the operator typed ("4.00" keeps its decimals,
  // issue 15 item 10): "12" is a valid value there; text that is not a plain decimal is refused
  measureText: [
    ...COMMON.filter((v) => v !== '"12"'),
    '1e10',
    '0.0000001',
    '-1e10',
    '"1e3"',
    '"4,00"',
    '"12abc"',
    '"1.1234567"',
    '""',
    '"1e10"',
  ],
  whole: [...COMMON, '1e10', '-1', '0.5'],
  bomQuantity: [...COMMON, '1e7', '-1', '0', '0.0000001'],
};
type Kind = keyof typeof BAD;
interface Field {
  name: string;
  who: () => Client;
  method?: string;
  path: () => string;
  body: () => Record<string, unknown>;
  at: string;
  kind: Kind;
  nullable?: true;
}

let poId = '',
  woId = '',
  lotId = '';
const poBody = () => ({
  supplier: 'SUP-JINGMO',
  lines: [{ itemId: items.get('CP-DRP-001'), quantity: 10, unitPrice: 1, dueDate: due }],
});
const itemBody = () => ({
  partNumber: 'NUM-1',
  name: { zh: '测试', en: 'Test' },
  type: 'component',
  unit: 'pcs',
  control: 'lot',
  shelfLifeDays: 365,
  safetyStock: 1,
  reorderPoint: 2,
  warrantyMonths: 0,
  characteristics: [{ name: 'L', unit: 'mm', lower: 1, upper: 2 }],
});
const dmrDraft = () => ({
  version: 1,
  content: {
    bom: [{ itemId: 'x', quantity: 1.5, control: 'lot' }],
    routing: [
      {
        seq: 10,
        name: { zh: '工序', en: 'Step' },
        workInstructionId: 'w',
        captures: [{ name: 'c', unit: 'N', lower: 1, upper: 2 }],
      },
    ],
  },
});
const FIELDS: Field[] = [
  {
    name: 'PO line quantity',
    who: () => purchaser,
    path: () => '/api/v1/purchase-orders',
    body: poBody,
    at: 'lines.0.quantity',
    kind: 'quantity',
  },
  {
    name: 'PO line unit price',
    who: () => purchaser,
    path: () => '/api/v1/purchase-orders',
    body: poBody,
    at: 'lines.0.unitPrice',
    kind: 'price',
  },
  {
    name: 'requisition quantity',
    who: () => sup,
    path: () => '/api/v1/requisitions',
    body: () => ({ lines: [{ itemId: items.get('CP-DRP-001'), quantity: 1, needBy: due }] }),
    at: 'lines.0.quantity',
    kind: 'quantity',
  },
  {
    name: 'receipt quantity',
    who: () => wh,
    path: () => `/api/v1/purchase-orders/${poId}/receipts`,
    body: () => ({ lines: [{ lineNo: 1, quantity: 1, supplierLot: 'SL-1' }] }),
    at: 'lines.0.quantity',
    kind: 'quantity',
  },
  {
    name: 'receipt line number',
    who: () => wh,
    path: () => `/api/v1/purchase-orders/${poId}/receipts`,
    body: () => ({ lines: [{ lineNo: 1, quantity: 1, supplierLot: 'SL-1' }] }),
    at: 'lines.0.lineNo',
    kind: 'whole',
  },
  {
    name: 'approval threshold',
    who: () => qa,
    method: 'PUT',
    path: () => '/api/v1/purchasing/settings',
    body: () => ({ approvalThresholdCny: 10_000, reason: 'test' }),
    at: 'approvalThresholdCny',
    kind: 'money',
  },
  {
    name: 'adjust delta',
    who: () => wh,
    path: () => `/api/v1/lots/${lotId}/adjust`,
    body: () => ({ location: 'WH1-QA-01', delta: 1, reason: 'test' }),
    at: 'delta',
    kind: 'delta',
  },
  {
    name: 'move quantity',
    who: () => wh,
    path: () => `/api/v1/lots/${lotId}/move`,
    body: () => ({ from: 'WH1-QA-01', to: 'WH1-QA-02', quantity: 1 }),
    at: 'quantity',
    kind: 'quantity',
  },
  {
    name: 'count',
    who: () => wh,
    path: () => `/api/v1/lots/${lotId}/count`,
    body: () => ({ location: 'WH1-QA-01', counted: 1 }),
    at: 'counted',
    kind: 'quantityOrZero',
  },
  {
    name: 'issue quantity',
    who: () => op,
    path: () => `/api/v1/lots/${lotId}/issue`,
    body: () => ({ quantity: 1, workOrder: 'WO-X' }),
    at: 'quantity',
    kind: 'quantity',
  },
  {
    name: 'scrap quantity',
    who: () => qa,
    path: () => `/api/v1/lots/${lotId}/scrap`,
    body: () => ({ quantity: 1, reason: 'test', password: DEMO_PASSWORD }),
    at: 'quantity',
    kind: 'quantity',
  },
  {
    name: 'planned quantity',
    who: () => sup,
    path: () => '/api/v1/workorders',
    body: () => ({ itemId: items.get('FG-IFS-20'), plannedQuantity: 10, plannedStart: due, plannedEnd: due }),
    at: 'plannedQuantity',
    kind: 'quantity',
  },
  {
    name: 'step value',
    who: () => op,
    path: () => `/api/v1/workorders/${woId}/steps/10/perform`,
    body: () => ({ values: { x: 1 }, equipmentIds: [], password: DEMO_PASSWORD }),
    at: 'values.x',
    kind: 'measureText',
  },
  {
    name: 'material issue',
    who: () => wh,
    path: () => `/api/v1/workorders/${woId}/materials`,
    body: () => ({ lotId, quantity: 1 }),
    at: 'quantity',
    kind: 'quantity',
  },
  {
    name: 'material consumed',
    who: () => sup,
    path: () => `/api/v1/workorders/${woId}/materials/reconcile`,
    body: () => ({ lines: [{ itemId: 'x', consumed: 1, scrapped: 0 }] }),
    at: 'lines.0.consumed',
    kind: 'quantityOrZero',
  },
  {
    name: 'good quantity',
    who: () => sup,
    path: () => `/api/v1/workorders/${woId}/complete`,
    body: () => ({ goodQuantity: 1 }),
    at: 'goodQuantity',
    kind: 'quantityOrZero',
  },
  {
    name: 'labels printed',
    who: () => sup,
    path: () => `/api/v1/workorders/${woId}/labels/print`,
    body: () => ({ quantity: 1 }),
    at: 'quantity',
    kind: 'whole',
  },
  {
    name: 'inspection value',
    who: () => qaEng,
    path: () => '/api/v1/inspections/x/results',
    body: () => ({ measurements: [{ characteristic: 'L', values: [1] }] }),
    at: 'measurements.0.values.0',
    kind: 'measure',
  },
  {
    name: 'attribute defectives',
    who: () => qaEng,
    path: () => '/api/v1/inspections/x/results',
    body: () => ({ attributeDefectives: 0 }),
    at: 'attributeDefectives',
    kind: 'whole',
  },
  {
    name: 'reorder point',
    who: () => qaEng,
    path: () => '/api/v1/items',
    body: itemBody,
    at: 'reorderPoint',
    kind: 'quantityOrZero',
  },
  {
    name: 'safety stock',
    who: () => qaEng,
    path: () => '/api/v1/items',
    body: itemBody,
    at: 'safetyStock',
    kind: 'quantityOrZero',
  },
  {
    name: 'shelf life days',
    who: () => qaEng,
    path: () => '/api/v1/items',
    body: itemBody,
    at: 'shelfLifeDays',
    kind: 'whole',
    nullable: true,
  },
  {
    name: 'specification limit',
    who: () => qaEng,
    path: () => '/api/v1/items',
    body: itemBody,
    at: 'characteristics.0.upper',
    kind: 'measure',
    nullable: true,
  },
  {
    name: 'BOM quantity per unit',
    who: () => sup,
    method: 'PUT',
    path: () => '/api/v1/dmrs/x/draft',
    body: dmrDraft,
    at: 'content.bom.0.quantity',
    kind: 'bomQuantity',
  },
  {
    name: 'step capture limit',
    who: () => sup,
    method: 'PUT',
    path: () => '/api/v1/dmrs/x/draft',
    body: dmrDraft,
    at: 'content.routing.0.captures.0.upper',
    kind: 'measure',
    nullable: true,
  },
  {
    name: 'routing step number',
    who: () => sup,
    method: 'PUT',
    path: () => '/api/v1/dmrs/x/draft',
    body: dmrDraft,
    at: 'content.routing.0.seq',
    kind: 'whole',
  },
  {
    name: 'record version',
    who: () => sup,
    method: 'PUT',
    path: () => '/api/v1/dmrs/x/draft',
    body: dmrDraft,
    at: 'version',
    kind: 'whole',
  },
  {
    name: 'PO approval version',
    who: () => qa,
    path: () => `/api/v1/purchase-orders/${poId}/approve`,
    body: () => ({ version: 1, password: DEMO_PASSWORD }),
    at: 'version',
    kind: 'whole',
  },
  {
    name: 'supplier evaluation',
    who: () => purchaser,
    path: () => '/api/v1/suppliers/SUP-JINGMO/evaluations',
    body: () => ({ period: '2026-Q1', quality: 90, delivery: 90 }),
    at: 'quality',
    kind: 'whole',
  },
  {
    name: 'calibration interval',
    who: () => sup,
    path: () => '/api/v1/equipment',
    body: () => ({
      code: 'NUM-EQ',
      name: { zh: '设备', en: 'Equipment' },
      type: 't',
      location: 'l',
      calibrationIntervalDays: 30,
    }),
    at: 'calibrationIntervalDays',
    kind: 'whole',
  },
];

describe('every numeric field refuses what its domain does not hold', () => {
  beforeAll(async () => {
    const po = await purchaser.post('/api/v1/purchase-orders', poBody());
    poId = po.body.id;
    const wo = await sup.post('/api/v1/workorders', {
      itemId: items.get('FG-IFS-20'),
      plannedQuantity: 10,
      plannedStart: due,
      plannedEnd: due,
    });
    woId = wo.body.id;
    lotId = (await wh.get('/api/v1/inventory')).body[0].id;
    expect([poId, woId, lotId].every(Boolean)).toBe(true);
  });

  for (const f of FIELDS) {
    it(`${f.name}: 400 VALIDATION_FAILED at body.${f.at}, nothing written`, async () => {
      const before = await events();
      for (const value of BAD[f.kind].filter((v) => !(f.nullable && v === 'null'))) {
        const r = await raw(f.who(), f.method ?? 'POST', f.path(), withRaw(f.body(), f.at, value));
        expect({ value, status: r.status, code: r.body.error?.code }).toEqual({
          value,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
        expect(r.body.error.details[0].path).toBe(`body.${f.at}`);
      }
      expect(await events()).toBe(before);
    });
  }

  it('query and path numbers: only plain decimals within bounds', async () => {
    const bad = [
      '1e306',
      'Infinity',
      '-1',
      '1e3',
      '0x10',
      '',
      '%2012',
      '12abc',
      '9007199254740993',
      String(LOT_SIZE_MAX + 1),
      '2.5',
    ];
    for (const v of bad) {
      const r = await wh.get(`/api/v1/sampling-plan?lotSize=${v}&aql=1`);
      expect({ v, status: r.status }).toEqual({ v, status: 400 });
    }
    for (const v of ['1e306', 'Infinity', '-1', '0.0001', '0x10', String(QTY_MAX + 1)]) {
      const r = await wh.get(`/api/v1/inventory/fefo?item=${items.get('CP-DRP-001')}&qty=${v}`);
      expect({ v, status: r.status }).toEqual({ v, status: 400 });
    }
    for (const v of ['1e1', '0x0A', '10.0000000000000001', '99999']) {
      const r = await op.post(`/api/v1/workorders/${woId}/steps/${v}/perform`, {
        values: {},
        equipmentIds: [],
        password: DEMO_PASSWORD,
      });
      expect({ v, status: r.status, code: r.body.error.code }).toEqual({ v, status: 400, code: 'VALIDATION_FAILED' });
    }
    expect((await wh.get('/api/v1/documents?page=1e3')).status).toBe(400);
    expect((await wh.get('/api/v1/documents?page=2&pageSize=5')).status).toBe(200);
  });

  it('accepts the boundary values a domain allows', async () => {
    const item = await qaEng.post('/api/v1/items', {
      ...itemBody(),
      partNumber: 'NUM-MAX',
      shelfLifeDays: 36_500,
      safetyStock: QTY_MAX,
      reorderPoint: 0.001,
      characteristics: [{ name: 'L', unit: 'mm', lower: -1e9, upper: 123.456789 }],
    });
    expect(item.status).toBe(201);
    expect(item.body).toMatchObject({ shelfLifeDays: 36_500, safetyStock: QTY_MAX, reorderPoint: 0.001 });
    expect((await wh.get(`/api/v1/sampling-plan?lotSize=${LOT_SIZE_MAX}&aql=1`)).body).toMatchObject({
      lotSize: LOT_SIZE_MAX,
      letter: 'Q',
    });
  });
});

describe('limits agree across doors (finding 24)', () => {
  it('a PO line, its receipt, the lot and the sampling plan all stop at QTY_MAX', async () => {
    const before = await events();
    const over = await purchaser.post('/api/v1/purchase-orders', {
      supplier: 'SUP-JINGMO',
      lines: [{ itemId: items.get('CP-DRP-001'), quantity: QTY_MAX + 1, unitPrice: 0, dueDate: due }],
    });
    expect(over.status).toBe(400);
    expect((await wh.get(`/api/v1/sampling-plan?lotSize=${QTY_MAX + 1}&aql=1`)).status).toBe(400);
    expect(await events()).toBe(before);
    // the largest order the system holds: received whole, it becomes one lot with an ISO 2859-1 plan
    const po = await purchaser.post('/api/v1/purchase-orders', {
      supplier: 'SUP-JINGMO',
      lines: [{ itemId: items.get('CP-DRP-001'), quantity: QTY_MAX, unitPrice: 0.0001, dueDate: due }],
    });
    expect(po.status).toBe(201);
    expect(po.body.total).toBe(1000);
    expect((await purchaser.post(`/api/v1/purchase-orders/${po.body.id}/issue`)).body.status).toBe('approved');
    const rec = await wh.post(`/api/v1/purchase-orders/${po.body.id}/receipts`, {
      lines: [{ lineNo: 1, quantity: QTY_MAX, supplierLot: 'SL-MAX' }],
    });
    expect(rec.status).toBe(201);
    const insp = (await wh.get(`/api/v1/inspections/${rec.body.inspections[0]}`)).body;
    expect(insp.plan).toMatchObject({ lotSize: QTY_MAX, letter: 'Q' });
    const lot = rec.body.lots[0];
    expect((await wh.get(`/api/v1/lots/${lot}`)).body.quantity).toBe(QTY_MAX);

    // arithmetic: a lot at the limit refuses to grow (422, bilingual, nothing written), shrinks exactly
    const full = await events();
    const grow = await wh.post(`/api/v1/lots/${lot}/adjust`, {
      location: 'WH1-QA-01',
      delta: 0.001,
      reason: 'found one',
    });
    expect(grow.status).toBe(422);
    expect(grow.body.error).toMatchObject({ code: 'QUANTITY_OUT_OF_RANGE', details: { max: QTY_MAX } });
    wh.locale = 'zh-CN';
    const growZh = await wh.post(`/api/v1/lots/${lot}/adjust`, {
      location: 'WH1-QA-01',
      delta: QTY_MAX,
      reason: 'found many',
    });
    wh.locale = 'en-US';
    expect(growZh.body.error.message).toMatch(/数量必须在 0 到 10000000 之间/);
    const elsewhere = await wh.post(`/api/v1/lots/${lot}/count`, { location: 'WH1-RAW-01', counted: 1 });
    expect(elsewhere.body.error.code).toBe('QUANTITY_OUT_OF_RANGE');
    expect(await events()).toBe(full);
    for (const delta of [-0.1, -0.2, -0.1, -0.2, -0.1, -0.2]) {
      expect(
        (await wh.post(`/api/v1/lots/${lot}/adjust`, { location: 'WH1-QA-01', delta, reason: 'damaged' })).status,
      ).toBe(200);
    }
    const after = (await wh.get(`/api/v1/lots/${lot}`)).body;
    expect(after.quantity).toBe(9_999_999.1); // exact: no 0.1 + 0.2 drift
    expect(after.ledger.valid).toBe(true);
    const counted = await wh.post(`/api/v1/lots/${lot}/count`, { location: 'WH1-QA-01', counted: QTY_MAX });
    expect(counted.body.quantity).toBe(QTY_MAX);
  });

  it('a PO amount stays within MONEY_MAX; a work order needs no more than a quantity of any material', async () => {
    const before = await events();
    const line = (quantity: number, unitPrice: number) => ({
      itemId: items.get('CP-DRP-001'),
      quantity,
      unitPrice,
      dueDate: due,
    });
    const huge = await purchaser.post('/api/v1/purchase-orders', {
      supplier: 'SUP-JINGMO',
      lines: [line(QTY_MAX, 1e9)],
    });
    expect(huge.status).toBe(422);
    expect(huge.body.error).toMatchObject({ code: 'AMOUNT_OUT_OF_RANGE', details: { max: MONEY_MAX } });
    const twice = await purchaser.post('/api/v1/purchase-orders', {
      supplier: 'SUP-JINGMO',
      lines: [line(QTY_MAX, 100_000), line(1, 0.01)],
    });
    expect(twice.body.error.code).toBe('AMOUNT_OUT_OF_RANGE');
    // FG-IFS-20 needs 1.5 m of tubing per set: 6 666 667 sets would need more than a quantity holds
    const wo = (plannedQuantity: number) =>
      sup.post('/api/v1/workorders', {
        itemId: items.get('FG-IFS-20'),
        plannedQuantity,
        plannedStart: due,
        plannedEnd: due,
      });
    const tooBig = await wo(6_666_667);
    expect(tooBig.status).toBe(422);
    expect(tooBig.body.error.code).toBe('QUANTITY_OUT_OF_RANGE');
    expect(await events()).toBe(before);
    const exact = await purchaser.post('/api/v1/purchase-orders', {
      supplier: 'SUP-JINGMO',
      lines: [line(QTY_MAX, 100_000)],
    });
    expect(exact.status).toBe(201);
    expect(exact.body.total).toBe(MONEY_MAX);
    const fits = await wo(6_666_666);
    expect(fits.status).toBe(201);
    expect(fits.body.bom.find((l: { partNumber: string }) => l.partNumber === 'RM-PVC-001').required).toBe(9_999_999);
  });
});

describe('the number helpers', () => {
  it('check precision by scaling, not by the text of the number', () => {
    expect([0.1, 1.005, 12.345, 1e7, -0.001].every((n) => hasDecimals(n, 3))).toBe(true);
    // eslint-disable-next-line no-loss-of-precision -- 2^53 + 1 is the point: it is not a safe integer
    expect([0.0001, 1e-7, Infinity, NaN, 1e21, 9007199254740993 / 100].some((n) => hasDecimals(n, 3))).toBe(false);
    expect(sumQty(0.1, 0.2)).toBe(0.3);
    expect(sumQty(QTY_MAX, -0.001)).toBe(9_999_999.999);
    expect(
      amountOf([
        { quantity: 3, unitPrice: 0.1 },
        { quantity: 0.001, unitPrice: 0.0049 },
      ]),
    ).toBe(0.3);
    const q = fromText(whole(1, 10));
    expect(['5', '10'].map((v) => q.safeParse(v).success)).toEqual([true, true]);
    expect(['1e1', '0x5', ' 5', '', '5.', 'Infinity'].map((v) => q.safeParse(v).success).some(Boolean)).toBe(false);
  });

  it('bounds the numbers of the configuration too (a timer past 2^31 ms would fire every millisecond)', () => {
    const env = { PROVENANT_SECRET: 'x'.repeat(32), DATA_DIR: '/tmp/none' };
    expect(() => loadConfig({ ...env, CHECKPOINT_INTERVAL_SECONDS: '3000000' })).toThrow(/CHECKPOINT_INTERVAL_SECONDS/);
    expect(() => loadConfig({ ...env, LOGIN_RATE_PER_MINUTE: 'Infinity' })).toThrow(/LOGIN_RATE_PER_MINUTE/);
    expect(loadConfig({ ...env, CHECKPOINT_INTERVAL_SECONDS: '604800' }).CHECKPOINT_INTERVAL_SECONDS).toBe(604_800);
  });
});
