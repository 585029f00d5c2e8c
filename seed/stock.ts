import type { Services } from '../server/src/platform/services.ts';
import type { SessionUser } from '../server/src/identity/sessionUser.ts';
import { addDays, todayUtc } from '../server/src/platform/dates.ts';
import { items } from '../server/src/modules/items/service.ts';
import { uploadCertificate } from '../server/src/modules/purchasing/certificates.ts';
import { approvePo, createPo, getPo, issuePo } from '../server/src/modules/purchasing/service.ts';
import { receive } from '../server/src/modules/purchasing/receiving.ts';
import { dispose, getInspection, recordResults } from '../server/src/modules/inspection/service.ts';
import { lots, moveLot } from '../server/src/modules/inventory/service.ts';
import { DEMO_PASSWORD } from './demo-users.ts';
import { textPdf } from './textPdf.ts';
import { sessionUsers } from './sessionUsers.ts';

// Released component stock for the demo production orders, received the way a warehouse
// does it: a PO, a receipt into quarantine with the supplier's certificate of analysis (a real
// PDF in the content store, referenced as `sha256:<hex>`, which the DHR export merges), an
// incoming inspection within limits, QA release by signature and a move to the raw store.
export interface StockUsers {
  purchaser: SessionUser;
  supervisor: SessionUser;
  warehouse: SessionUser;
  qaEng: SessionUser;
}
/** The demo's purchaser, production supervisor, warehouse clerk and QA engineer, who order, receive, inspect and release stock. */
export async function stockUsers(s: Services): Promise<StockUsers> {
  const users = await sessionUsers(s);
  const who = (n: string) => users.get(n)!;
  return {
    purchaser: who('purchaser'),
    supervisor: who('prod.supervisor'),
    warehouse: who('warehouse'),
    qaEng: who('qa.engineer'),
  };
}

export interface StockLine {
  pn: string;
  quantity: number;
  serialPrefix?: string;
}

interface CoaLine {
  supplier: string;
  item: { partNumber: string; name: { zh: string; en: string } };
  supplierLot: string;
  quantity: number;
  mfgDate: string;
  issued: string;
}

/** The supplier's certificate: bilingual, as Chinese suppliers send them, with its font embedded (textPdf). */
function coaPdf(c: CoaLine): Promise<Buffer> {
  const row = (en: string, zh: string, value: string) => ({ text: `${zh} ${en}: ${value}`, gap: 3 });
  return textPdf(
    [
      { text: c.supplier, size: 14, bold: true },
      { text: '质量检验报告 Certificate of Analysis', size: 18, bold: true, gap: 14 },
      row('Part number', '物料编码', c.item.partNumber),
      row('Description', '品名', `${c.item.name.zh} ${c.item.name.en}`),
      row('Supplier lot', '批号', c.supplierLot),
      row('Quantity', '数量', String(c.quantity)),
      row('Date of manufacture', '生产日期', c.mfgDate),
      row('Date of issue', '签发日期', c.issued),
      { text: '检验项目 Tests', size: 12, bold: true, gap: 14 },
      row('Appearance', '外观', 'clean, no burrs, flash or foreign matter 清洁、无毛刺、无异物 — pass 合格'),
      row('Dimensions', '尺寸', 'within drawing tolerance, n = 32 在图纸公差范围内 — pass 合格'),
      row(
        'Material',
        '材料',
        'conforms to the purchase specification and the biocompatibility qualification (ISO 10993-1) 符合采购规范 — pass 合格',
      ),
      row('Packaging and labelling', '包装与标识', 'conforms 符合'),
      { text: '结论:本批产品符合采购规范要求。 Conclusion: the lot conforms to the purchase specification.', gap: 14 },
      { text: '质量控制部 批准 Approved by Quality Control', gap: 14 },
    ],
    {
      title: `Certificate of Analysis ${c.supplierLot}`,
      author: c.supplier,
      footer: `CoA ${c.supplierLot}`,
      date: new Date(`${c.issued}T08:00:00Z`),
    },
  );
}

/** Values for each characteristic of the plan, all inside its limits (deterministic). */
function inSpecValues(c: { lower: number | null; upper: number | null }, n: number) {
  const lo = c.lower ?? (c.upper !== null ? c.upper - 1 : 0);
  const hi = c.upper ?? lo + 1;
  return Array.from({ length: n }, (_, i) => Math.round((lo + (hi - lo) * (0.3 + ((i * 37) % 11) / 27)) * 1000) / 1000);
}

export async function stockUp(
  s: Services,
  u: StockUsers,
  supplier: { code: string; name: string },
  lines: StockLine[],
  opts: { inspectOn?: <T>(fn: () => Promise<T>) => Promise<T> } = {},
): Promise<string[]> {
  const today = todayUtc();
  const byPn = new Map((await items(s).find({}).toArray()).map((i) => [i.partNumber, i]));
  const po = await createPo(s, u.purchaser, {
    supplier: supplier.code,
    currency: 'CNY',
    lines: lines.map((l) => ({
      itemId: byPn.get(l.pn)!._id,
      quantity: l.quantity,
      unitPrice: 0.5,
      dueDate: addDays(today, 7),
    })),
  });
  const issued = await issuePo(s, u.purchaser, po._id);
  if (issued.status === 'pending_approval')
    await approvePo(s, u.supervisor, po._id, {
      password: DEMO_PASSWORD,
      version: (await getPo(s, po._id)).ledgerVersion,
    });
  const receiptLines = await Promise.all(
    lines.map(async (l, i) => {
      const supplierLot = `${supplier.code.slice(4, 7)}-${l.pn.slice(3, 6)}-${today.slice(2, 4)}${today.slice(5, 7)}-${String(i + 11).padStart(2, '0')}`;
      const mfgDate = addDays(today, -20);
      const bytes = await coaPdf({
        supplier: supplier.name,
        item: byPn.get(l.pn)!,
        supplierLot,
        quantity: l.quantity,
        mfgDate,
        issued: addDays(today, -2),
      });
      const coa = await uploadCertificate(s, u.warehouse, {
        name: `CoA-${supplierLot}.pdf`,
        bytes,
        mime: 'application/pdf',
      });
      return {
        lineNo: i + 1,
        quantity: l.quantity,
        supplierLot,
        mfgDate,
        coaRef: coa.ref,
        ...(l.serialPrefix
          ? {
              serials: Array.from(
                { length: l.quantity },
                (_, k) => `${l.serialPrefix}${String(k + 1).padStart(4, '0')}`,
              ),
            }
          : {}),
      };
    }),
  );
  const r = await receive(s, u.warehouse, po._id, { lines: receiptLines });
  // inspected, released and put away on the receipt's day, or on the later day `inspectOn` runs it
  // (the year's receipts wait a few days for QA: the incoming-inspection waiting time of the KPIs)
  const inspectOn = opts.inspectOn ?? (<T>(fn: () => Promise<T>) => fn());
  await inspectOn(() => inspectAndStore(s, u, r));
  return r.lots;
}

async function inspectAndStore(s: Services, u: StockUsers, r: { inspections: string[]; lots: string[] }) {
  for (const inspectionId of r.inspections) {
    const insp = await getInspection(s, inspectionId);
    await recordResults(s, u.warehouse, inspectionId, {
      measurements: insp.characteristics.map((c) => ({
        characteristic: c.name,
        values: inSpecValues(c, insp.plan.sampleSize),
      })),
    });
    await dispose(s, u.qaEng, inspectionId, { decision: 'release', password: DEMO_PASSWORD });
  }
  for (const lotId of r.lots) {
    const lot = (await lots(s).findOne({ _id: lotId }))!;
    for (const b of lot.balances)
      await moveLot(s, u.warehouse, lotId, {
        from: b.location,
        to: 'WH1-RAW-01',
        quantity: b.quantity,
        source: 'put-away',
      });
  }
}
