import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import type { Services } from '../server/src/platform/services.ts';
import type { SessionUser } from '../server/src/identity/sessionUser.ts';
import { addDays, todayUtc } from '../server/src/modules/items/fields.ts';
import { items } from '../server/src/modules/items/service.ts';
import { uploadCertificate } from '../server/src/modules/purchasing/certificates.ts';
import { approvePo, createPo, getPo, issuePo } from '../server/src/modules/purchasing/service.ts';
import { receive } from '../server/src/modules/purchasing/receiving.ts';
import { dispose, getInspection, recordResults } from '../server/src/modules/inspection/service.ts';
import { lots, moveLot } from '../server/src/modules/inventory/service.ts';
import { DEMO_PASSWORD } from './demo-users.ts';

// Released component stock for the demo production orders, received the way a warehouse
// does it: a PO, a receipt into quarantine with the supplier's certificate of analysis (a real
// PDF in the content store, referenced as `sha256:<hex>`, which the DHR export merges), an
// incoming inspection within limits, QA release by signature and a move to the raw store.
export interface StockUsers { purchaser: SessionUser; supervisor: SessionUser; warehouse: SessionUser; qaEng: SessionUser }
export interface StockLine { pn: string; quantity: number; serialPrefix?: string }

async function coaPdf(supplier: string, partNumber: string, supplierLot: string, quantity: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const line = (text: string, y: number, f = font, size = 11) => page.drawText(text, { x: 60, y, size, font: f, color: rgb(0.1, 0.1, 0.1) });
  line(supplier, 780, bold, 14);
  line('Certificate of Analysis', 740, bold, 18);
  [`Part number: ${partNumber}`, `Supplier lot: ${supplierLot}`, `Quantity: ${quantity}`, `Date of issue: ${todayUtc()}`,
    'Result: all characteristics within specification; material conforms to the purchase specification.', 'Approved by: Quality Control']
    .forEach((t, i) => line(t, 700 - i * 22));
  return Buffer.from(await doc.save());
}

/** Values for each characteristic of the plan, all inside its limits (deterministic). */
function inSpecValues(c: { lower: number | null; upper: number | null }, n: number) {
  const lo = c.lower ?? (c.upper !== null ? c.upper - 1 : 0);
  const hi = c.upper ?? lo + 1;
  return Array.from({ length: n }, (_, i) => Math.round((lo + (hi - lo) * (0.3 + ((i * 37) % 11) / 27)) * 1000) / 1000);
}

export async function stockUp(s: Services, u: StockUsers, supplier: { code: string; name: string }, lines: StockLine[]): Promise<string[]> {
  const today = todayUtc();
  const byPn = new Map((await items(s).find({}).toArray()).map((i) => [i.partNumber, i._id]));
  const po = await createPo(s, u.purchaser, { supplier: supplier.code, currency: 'CNY', lines: lines.map((l) => ({ itemId: byPn.get(l.pn)!, quantity: l.quantity, unitPrice: 0.5, dueDate: addDays(today, 7) })) });
  const issued = await issuePo(s, u.purchaser, po._id);
  if (issued.status === 'pending_approval') await approvePo(s, u.supervisor, po._id, { password: DEMO_PASSWORD, version: (await getPo(s, po._id)).ledgerVersion });
  const receiptLines = await Promise.all(lines.map(async (l, i) => {
    const supplierLot = `${supplier.code.slice(4, 7)}-${l.pn.slice(3, 6)}-${today.slice(2, 4)}${today.slice(5, 7)}-${String(i + 11).padStart(2, '0')}`;
    const coa = await uploadCertificate(s, u.warehouse, { name: `CoA-${supplierLot}.pdf`, bytes: await coaPdf(supplier.name, l.pn, supplierLot, l.quantity), mime: 'application/pdf' });
    return { lineNo: i + 1, quantity: l.quantity, supplierLot, mfgDate: addDays(today, -20), coaRef: coa.ref,
      ...(l.serialPrefix ? { serials: Array.from({ length: l.quantity }, (_, k) => `${l.serialPrefix}${String(k + 1).padStart(4, '0')}`) } : {}) };
  }));
  const r = await receive(s, u.warehouse, po._id, { lines: receiptLines });
  for (const inspectionId of r.inspections) {
    const insp = await getInspection(s, inspectionId);
    await recordResults(s, u.warehouse, inspectionId, { measurements: insp.characteristics.map((c) => ({ characteristic: c.name, values: inSpecValues(c, insp.plan.sampleSize) })) });
    await dispose(s, u.qaEng, inspectionId, { decision: 'release', password: DEMO_PASSWORD });
  }
  for (const lotId of r.lots) {
    const lot = (await lots(s).findOne({ _id: lotId }))!;
    for (const b of lot.balances) await moveLot(s, u.warehouse, lotId, { from: b.location, to: 'WH1-RAW-01', quantity: b.quantity, source: 'put-away' });
  }
  return r.lots;
}
