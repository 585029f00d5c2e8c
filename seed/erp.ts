import type { Services } from '../server/src/platform/services.ts';
import { sessionUsers } from './sessionUsers.ts';
import { addDays, todayUtc } from '../server/src/platform/dates.ts';
import { withCheckDigit } from '../server/src/modules/items/gtin.ts';
import { createItem, createMaster, items } from '../server/src/modules/items/service.ts';
import { CreateItemBody, type CreateItemInput } from '../server/src/modules/items/schema.ts';
import {
  addEvidence,
  approveItem,
  changeQualification,
  createSupplier,
  evaluate,
} from '../server/src/modules/suppliers/service.ts';
import { approvePo, createPo, createRequisition, getPo, issuePo } from '../server/src/modules/purchasing/service.ts';
import { receive } from '../server/src/modules/purchasing/receiving.ts';
import { dispose, getInspection, recordResults } from '../server/src/modules/inspection/service.ts';
import { moveLot } from '../server/src/modules/inventory/service.ts';
import { DEMO_PASSWORD } from './demo-users.ts';

// The ERP side of the demo company: master data for sterile single-use infusion sets (lot
// controlled) and infusion pumps (serialized), qualified suppliers with their evidence, POs in
// every state, and lots received, inspected and dispositioned, all through the same commands as
// the API, so every record carries a real history with its signatures.
type Item = Omit<
  CreateItemInput,
  'storage' | 'safetyStock' | 'reorderPoint' | 'warrantyMonths' | 'gtin' | 'aql' | 'characteristics' | 'shelfLifeDays'
> &
  Partial<CreateItemInput>;
const ITEMS: Item[] = [
  {
    partNumber: 'RM-PVC-001',
    name: { zh: '医用PVC管路', en: 'Medical PVC tubing' },
    type: 'raw',
    unit: 'm',
    control: 'lot',
    shelfLifeDays: 1825,
    aql: 1,
    reorderPoint: 2000,
    characteristics: [
      { name: 'Outer diameter', unit: 'mm', lower: 3.9, upper: 4.1 },
      { name: 'Inner diameter', unit: 'mm', lower: 2.9, upper: 3.1 },
    ],
  },
  {
    partNumber: 'CP-DRP-001',
    name: { zh: '滴斗', en: 'Drip chamber' },
    type: 'component',
    unit: 'pcs',
    control: 'lot',
    shelfLifeDays: 1825,
    aql: 0.65,
    characteristics: [{ name: 'Chamber length', unit: 'mm', lower: 54.5, upper: 55.5 }],
  },
  {
    partNumber: 'CP-RCL-001',
    name: { zh: '流量调节器(滚轮夹)', en: 'Roller clamp' },
    type: 'component',
    unit: 'pcs',
    control: 'lot',
    shelfLifeDays: 1825,
    aql: 1,
    characteristics: [{ name: 'Closing force', unit: 'N', lower: 8, upper: 15 }],
  },
  {
    partNumber: 'CP-LUER-001',
    name: { zh: '鲁尔锁接头', en: 'Luer lock connector' },
    type: 'component',
    unit: 'pcs',
    control: 'lot',
    shelfLifeDays: 1825,
    aql: 0.65,
    safetyStock: 5000,
    reorderPoint: 8000,
    characteristics: [{ name: 'Taper gauge', unit: 'mm', lower: -0.5, upper: 0.5 }],
  },
  {
    partNumber: 'CP-NDL-001',
    name: { zh: '静脉输液针', en: 'IV needle 0.7 mm' },
    type: 'component',
    unit: 'pcs',
    control: 'lot',
    shelfLifeDays: 1825,
    aql: 0.4,
    safetyStock: 2000,
    reorderPoint: 5000,
  },
  {
    partNumber: 'PK-EOP-001',
    name: { zh: '环氧乙烷灭菌包装袋', en: 'EO sterilization pouch' },
    type: 'component',
    unit: 'pcs',
    control: 'lot',
    shelfLifeDays: 1095,
    aql: 1,
  },
  {
    partNumber: 'LB-IFS-001',
    name: { zh: '输液器标签', en: 'Infusion set label' },
    type: 'component',
    unit: 'pcs',
    control: 'lot',
    aql: 1,
  },
  {
    partNumber: 'CP-HSG-100',
    name: { zh: '输液泵外壳', en: 'Pump housing' },
    type: 'component',
    unit: 'pcs',
    control: 'lot',
    aql: 1,
  },
  {
    partNumber: 'SA-PCB-100',
    name: { zh: '输液泵主控板组件', en: 'Pump PCB assembly' },
    type: 'subassembly',
    unit: 'pcs',
    control: 'serial',
    aql: 0.65,
  },
  {
    partNumber: 'CP-MTR-100',
    name: { zh: '步进电机', en: 'Stepper motor' },
    type: 'component',
    unit: 'pcs',
    control: 'lot',
    aql: 0.65,
  },
  {
    partNumber: 'CP-BAT-100',
    name: { zh: '锂电池组', en: 'Li-ion battery pack' },
    type: 'component',
    unit: 'pcs',
    control: 'lot',
    shelfLifeDays: 730,
    aql: 0.65,
    storage: { zh: '15–25 °C,充电量 40–60%', en: '15–25 °C at 40–60 % charge' },
  },
  {
    partNumber: 'CP-DSP-100',
    name: { zh: '液晶显示屏', en: 'LCD display' },
    type: 'component',
    unit: 'pcs',
    control: 'lot',
    aql: 1,
  },
  {
    partNumber: 'FG-IFS-20',
    name: { zh: '一次性使用无菌输液器 带针', en: 'Sterile single-use infusion set with needle' },
    type: 'finished',
    unit: 'pcs',
    control: 'lot',
    shelfLifeDays: 1095,
    gtin: withCheckDigit('0697123450001'),
    safetyStock: 10_000,
    storage: { zh: '阴凉干燥、避光保存', en: 'Store cool, dry and away from light' },
  },
  {
    partNumber: 'FG-PMP-1',
    name: { zh: '输液泵', en: 'Volumetric infusion pump' },
    type: 'finished',
    unit: 'pcs',
    control: 'serial',
    warrantyMonths: 24,
    gtin: withCheckDigit('0697123450002'),
  },
];

const LOCATIONS = [
  {
    code: 'WH1-RAW-01',
    name: { zh: '原料库 A 区 01 位', en: 'Raw store, area A, bin 01' },
    kind: 'storage',
    warehouse: 'WH1',
    area: 'RAW',
    bin: '01',
  },
  {
    code: 'WH1-QA-01',
    name: { zh: '待检区', en: 'Quarantine' },
    kind: 'quarantine',
    warehouse: 'WH1',
    area: 'QA',
    bin: '01',
  },
  {
    code: 'WH1-REJ-01',
    name: { zh: '不合格品隔离笼', en: 'Reject cage' },
    kind: 'reject',
    warehouse: 'WH1',
    area: 'REJ',
    bin: '01',
  },
  {
    code: 'WH2-FG-01',
    name: { zh: '成品库', en: 'Finished goods' },
    kind: 'storage',
    warehouse: 'WH2',
    area: 'FG',
    bin: '01',
  },
];

const SUPPLIERS = [
  {
    code: 'SUP-HUASU',
    name: { zh: '浙江华塑医用材料有限公司', en: 'Zhejiang Huasu Medical Materials Co., Ltd.' },
    country: 'CN',
    items: ['RM-PVC-001', 'PK-EOP-001', 'LB-IFS-001'],
    status: 'approved' as const,
    certExpiresInDays: 20,
  },
  {
    code: 'SUP-JINGMO',
    name: { zh: '宁波精模塑胶有限公司', en: 'Ningbo Jingmo Plastics Co., Ltd.' },
    country: 'CN',
    items: ['CP-DRP-001', 'CP-RCL-001', 'CP-LUER-001', 'CP-HSG-100'],
    status: 'approved' as const,
    certExpiresInDays: 400,
  },
  {
    code: 'SUP-HONGDA',
    name: { zh: '江西洪达针业有限公司', en: 'Jiangxi Hongda Needle Co., Ltd.' },
    country: 'CN',
    items: ['CP-NDL-001'],
    status: 'conditional' as const,
    certExpiresInDays: 200,
  },
  {
    code: 'SUP-HENGTONG',
    name: { zh: '深圳恒通电子有限公司', en: 'Shenzhen Hengtong Electronics Co., Ltd.' },
    country: 'CN',
    items: ['SA-PCB-100', 'CP-MTR-100', 'CP-BAT-100', 'CP-DSP-100'],
    status: 'approved' as const,
    certExpiresInDays: 300,
  },
  {
    code: 'SUP-ANPACK',
    name: { zh: '上海安包包装材料有限公司', en: 'Shanghai Anpack Packaging Co., Ltd.' },
    country: 'CN',
    items: ['PK-EOP-001'],
    status: 'disqualified' as const,
    certExpiresInDays: -15,
  },
];

/** n sample values around `mid`, deterministic, with `bad` of them outside the limits. */
const samples = (n: number, mid: number, spread: number, bad = 0, off = spread * 20) =>
  Array.from(
    { length: n },
    (_, i) => Math.round((mid + (i < bad ? off : ((((i * 37) % 11) - 5) / 5) * spread)) * 1000) / 1000,
  );

/**
 * `today` anchors the suppliers' evidence and certificate dates (the present's calendar, while the
 * masters are written at the start of the simulated history); `defer` takes the purchasing flows
 * (orders and receipts of the present) to be run later, in the present, instead of now.
 */
export async function seedErp(
  s: Services,
  opts: { today?: string; defer?: (flows: () => Promise<unknown>) => void } = {},
): Promise<number> {
  if (await items(s).countDocuments({}, { limit: 1 })) return 0;
  const users = await sessionUsers(s);
  const who = (name: string) => users.get(name)!;
  const [qaMgr, qaEng, purchaser, warehouse, supervisor] = [
    'qa.manager',
    'qa.engineer',
    'purchaser',
    'warehouse',
    'prod.supervisor',
  ].map(who);
  const sign = { password: DEMO_PASSWORD };
  const today = opts.today ?? todayUtc();

  const ids = new Map<string, string>();
  // independent records are written a few at a time (the seed must stay fast)
  await Promise.all(
    ITEMS.map(async (it) => {
      ids.set(it.partNumber, (await createItem(s, qaEng, CreateItemBody.parse(it)))._id);
    }),
  );
  const item = (pn: string) => ids.get(pn)!;
  await Promise.all(LOCATIONS.map(({ code, ...l }) => createMaster(s, warehouse, 'location', code, l)));
  await createMaster(s, purchaser, 'customer', 'CUS-ZJU1', {
    name: { zh: '浙江大学医学院附属第一医院', en: 'First Affiliated Hospital, Zhejiang University' },
    country: 'CN',
    address: '杭州市庆春路79号',
    contact: '设备科',
  });
  await createMaster(s, purchaser, 'customer', 'CUS-RJH', {
    name: { zh: '上海交通大学医学院附属瑞金医院', en: 'Ruijin Hospital, Shanghai Jiao Tong University' },
    country: 'CN',
    address: '上海市瑞金二路197号',
    contact: '器械科',
  });

  await Promise.all(
    SUPPLIERS.map(async (sup) => {
      await createSupplier(s, purchaser, sup.code, { name: sup.name, country: sup.country, contact: '', address: '' });
      await addEvidence(s, purchaser, sup.code, {
        kind: 'questionnaire',
        title: 'Supplier self-assessment questionnaire',
        date: addDays(today, -420),
        result: 'Complete',
      });
      await addEvidence(s, qaEng, sup.code, {
        kind: 'audit',
        title: 'On-site quality system audit',
        reference: `AUD-${sup.code}`,
        date: addDays(today, -400),
        result: sup.status === 'conditional' ? '2 major findings' : 'No major findings',
      });
      await addEvidence(s, purchaser, sup.code, {
        kind: 'certificate',
        title: 'ISO 13485:2016 certificate',
        reference: `CERT-${sup.code}`,
        date: addDays(today, sup.certExpiresInDays - 1095),
        expiryDate: addDays(today, sup.certExpiresInDays),
      });
      const first = sup.status === 'conditional' ? 'conditional' : 'approved';
      await changeQualification(
        s,
        qaMgr,
        sup.code,
        first,
        first === 'conditional'
          ? 'Approved on condition: CAPA for the two major audit findings (needle point sharpness records) due in 90 days.'
          : 'Audit passed; certificate and questionnaire complete.',
        sign,
      );
      for (const pn of sup.items) await approveItem(s, qaMgr, sup.code, item(pn));
      await evaluate(s, purchaser, sup.code, {
        period: `${new Date().getUTCFullYear() - 1}`,
        quality: sup.status === 'disqualified' ? 58 : 93,
        delivery: sup.status === 'disqualified' ? 71 : 88,
      });
      if (sup.status === 'disqualified') {
        await changeQualification(
          s,
          qaMgr,
          sup.code,
          'disqualified',
          'Three consecutive lots failed the pouch seal-strength test; certificate lapsed.',
          sign,
        );
      }
    }),
  );

  const flows = () => Promise.all([tubingFlow(), mouldedFlow(), otherOrders()]);
  if (opts.defer) opts.defer(flows);
  else await flows();
  // a requisition turned into an order below the threshold, approved on issue, received twice
  async function tubingFlow() {
    const req = await createRequisition(s, supervisor, {
      note: 'Tubing for the December infusion-set campaign',
      lines: [{ itemId: item('RM-PVC-001'), quantity: 5000, needBy: addDays(today, 20) }],
    });
    const poTubing = await createPo(s, purchaser, {
      supplier: 'SUP-HUASU',
      currency: 'CNY',
      requisitionId: req._id,
      lines: [{ itemId: item('RM-PVC-001'), quantity: 5000, unitPrice: 1.2, dueDate: addDays(today, 10) }],
    });
    await issuePo(s, purchaser, poTubing._id);
    const r1 = await receive(s, warehouse, poTubing._id, {
      lines: [
        {
          lineNo: 1,
          quantity: 3000,
          supplierLot: 'HS2610-118',
          mfgDate: addDays(today, -40),
          coaRef: 'COA-HS2610-118.pdf',
        },
      ],
    });
    await receive(s, warehouse, poTubing._id, {
      lines: [
        {
          lineNo: 1,
          quantity: 2000,
          supplierLot: 'HS2611-007',
          mfgDate: addDays(today, -6),
          coaRef: 'COA-HS2611-007.pdf',
        },
      ],
    });
    const tubing = await getInspection(s, r1.inspections[0]);
    await recordResults(s, warehouse, tubing._id, {
      measurements: [
        { characteristic: 'Outer diameter', values: samples(tubing.plan.sampleSize, 4.0, 0.04) },
        { characteristic: 'Inner diameter', values: samples(tubing.plan.sampleSize, 3.0, 0.04) },
      ],
    });
    await dispose(s, qaEng, tubing._id, { decision: 'release', ...sign });
    await moveLot(s, warehouse, r1.lots[0], {
      from: 'WH1-QA-01',
      to: 'WH1-RAW-01',
      quantity: 3000,
      source: `inspection:${tubing.number}`,
    });
  }

  // above the threshold: waits for an approval signature, then a partial receipt (one pass, one fail)
  async function mouldedFlow() {
    const poMoulded = await createPo(s, purchaser, {
      supplier: 'SUP-JINGMO',
      currency: 'CNY',
      lines: [
        { itemId: item('CP-DRP-001'), quantity: 20_000, unitPrice: 0.35, dueDate: addDays(today, 7) },
        { itemId: item('CP-RCL-001'), quantity: 20_000, unitPrice: 0.25, dueDate: addDays(today, 7) },
        { itemId: item('CP-LUER-001'), quantity: 20_000, unitPrice: 0.3, dueDate: addDays(today, 30) },
      ],
    });
    await issuePo(s, purchaser, poMoulded._id);
    await approvePo(s, supervisor, poMoulded._id, { ...sign, version: (await getPo(s, poMoulded._id)).ledgerVersion });
    const r2 = await receive(s, warehouse, poMoulded._id, {
      lines: [
        {
          lineNo: 1,
          quantity: 1200,
          supplierLot: 'JM-DC-2611-03',
          mfgDate: addDays(today, -30),
          expiryDate: addDays(today, 25),
          coaRef: 'COA-JM-DC-2611-03.pdf',
        },
        {
          lineNo: 2,
          quantity: 1200,
          supplierLot: 'JM-RC-2611-01',
          mfgDate: addDays(today, -20),
          coaRef: 'COA-JM-RC-2611-01.pdf',
        },
      ],
    });
    const [drip, clamp] = await Promise.all(r2.inspections.map((id) => getInspection(s, id)));
    await recordResults(s, warehouse, drip._id, {
      measurements: [{ characteristic: 'Chamber length', values: samples(drip.plan.sampleSize, 55, 0.2) }],
    });
    await dispose(s, qaEng, drip._id, { decision: 'release', ...sign });
    await moveLot(s, warehouse, r2.lots[0], {
      from: 'WH1-QA-01',
      to: 'WH1-RAW-01',
      quantity: 1200,
      source: `inspection:${drip.number}`,
    });
    await recordResults(s, qaEng, clamp._id, {
      measurements: [{ characteristic: 'Closing force', values: samples(clamp.plan.sampleSize, 11, 1, 4, -6) }],
      notes: 'Four clamps do not close the tube at 8 N.',
    });
    await dispose(s, qaMgr, clamp._id, {
      decision: 'reject',
      reason: 'Closing force below 8 N on 4 of 80 samples (Re 3).',
      description:
        'Roller clamps fail to occlude the tubing: closing force below specification. Return to supplier; SCAR to be issued.',
      ...sign,
    });
    await moveLot(s, warehouse, r2.lots[1], {
      from: 'WH1-QA-01',
      to: 'WH1-REJ-01',
      quantity: 1200,
      source: `inspection:${clamp.number}`,
    });
  }

  async function otherOrders() {
    // needles from the conditionally approved supplier: approved on issue, not yet received
    const poNeedles = await createPo(s, purchaser, {
      supplier: 'SUP-HONGDA',
      currency: 'CNY',
      lines: [{ itemId: item('CP-NDL-001'), quantity: 10_000, unitPrice: 0.08, dueDate: addDays(today, 14) }],
    });
    await issuePo(s, purchaser, poNeedles._id);
    // electronics above the threshold, waiting for approval; and a draft
    const poPcb = await createPo(s, purchaser, {
      supplier: 'SUP-HENGTONG',
      currency: 'CNY',
      lines: [{ itemId: item('SA-PCB-100'), quantity: 50, unitPrice: 380, dueDate: addDays(today, 45) }],
    });
    await issuePo(s, purchaser, poPcb._id);
    await createPo(s, purchaser, {
      supplier: 'SUP-HENGTONG',
      currency: 'CNY',
      lines: [{ itemId: item('CP-BAT-100'), quantity: 60, unitPrice: 95, dueDate: addDays(today, 40) }],
    });
  }
  return ITEMS.length;
}
