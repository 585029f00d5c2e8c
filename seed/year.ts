import type { Services } from '../server/src/platform/services.ts';
import { stockUp, stockUsers } from './stock.ts';
import { onDay } from './timeline.ts';
import { addMonths, todayUtc } from '../server/src/platform/dates.ts';

// A year of incoming goods before the present (issue 13 item 8): every month one delivery from an
// approved supplier (the roller clamps from Ningbo Jingmo every other month) — each receipt ordered, received with its CoA, inspected to its sampling plan and released by QA
// (ISO 13485:2016 7.4.3), on its own simulated day, so the incoming-inspection and inventory KPIs
// have monthly series. Each receipt waits one to six days in quarantine before QA's disposition
// (INSPECTION_WAIT_DAYS). Other dated events of the year (the equipment's registration and
// calibrations, the internal audit) run among the receipts in date order. The oldest stock is the
// first consumed by the present's work orders (FEFO).

const JINGMO = {
  supplier: { code: 'SUP-JINGMO', name: 'Ningbo Jingmo Plastics Co., Ltd.' },
  lines: [{ pn: 'CP-RCL-001', quantity: 300 }],
};
const ROTATION = [
  JINGMO,
  {
    supplier: { code: 'SUP-HUASU', name: 'Zhejiang Huasu Medical Materials Co., Ltd.' },
    lines: [{ pn: 'PK-EOP-001', quantity: 300 }],
  },
  JINGMO,
  {
    supplier: { code: 'SUP-HONGDA', name: 'Jiangxi Hongda Needle Co., Ltd.' },
    lines: [{ pn: 'CP-NDL-001', quantity: 300 }],
  },
  JINGMO,
  {
    supplier: { code: 'SUP-HENGTONG', name: 'Shenzhen Hengtong Electronics Co., Ltd.' },
    lines: [{ pn: 'CP-BAT-100', quantity: 4 }],
  },
];

/**
 * Days each month's receipt waits in quarantine for QA's inspection and release (receipt to
 * disposition, the incoming-inspection waiting time KPI): a backlog in the summer, shorter later.
 */
export const INSPECTION_WAIT_DAYS = [1, 2, 2, 4, 6, 5, 3, 2, 1, 2, 1];

/** The months of history: one receipt day in each of the 11 calendar months before this one, as days before today, oldest first. */
export const YEAR_DAYS = Array.from({ length: 11 }, (_, i) => {
  const today = todayUtc();
  return Math.round((Date.parse(today) - Date.parse(addMonths(today, i - 11))) / 86_400_000);
});

/** The day (days before today) the settled documents, their training and the DMRs are written: after the first receipt's inspection, before any work order. */
export const DOCUMENTS_EFFECTIVE = 330;

/** Something else that happens on a day of the year (days before today), run in date order among the receipts. */
export interface YearEvent {
  days: number;
  run: () => Promise<unknown>;
}

/** Runs the year's receipts and `events` in date order, each on its simulated day; returns the last simulated day (days before today). */
export async function seedYear(s: Services, events: YearEvent[] = []): Promise<number> {
  const stock = await stockUsers(s);
  // an event that would fall while a receipt waits for its inspection moves to the day after the
  // inspection, so the ledger's times follow its order
  const clear = (days: number) => {
    for (const [i, d] of YEAR_DAYS.entries()) {
      const wait = INSPECTION_WAIT_DAYS[i % INSPECTION_WAIT_DAYS.length];
      if (days <= d && days >= d - wait) return d - wait - 1;
    }
    return days;
  };
  const pending = events.map((e) => ({ ...e, days: clear(e.days) })).sort((a, b) => b.days - a.days);
  // events of the same day run one after the other within that day (one simulated morning, so the
  // ledger's times keep their order)
  const runUntil = async (days: number) => {
    while (pending.length && pending[0].days >= days) {
      const day = pending[0].days;
      const same: YearEvent[] = [];
      while (pending.length && pending[0].days === day) same.push(pending.shift()!);
      await onDay(day, async () => {
        for (const e of same) await e.run();
      });
    }
  };
  for (const [i, days] of YEAR_DAYS.entries()) {
    await runUntil(days + 1); // events before this receipt's day (place them clear of a receipt's inspection wait)
    const { supplier, lines } = ROTATION[i % ROTATION.length];
    const wait = INSPECTION_WAIT_DAYS[i % INSPECTION_WAIT_DAYS.length];
    await onDay(days, () => stockUp(s, stock, supplier, lines, { inspectOn: (f) => onDay(days - wait, f) }));
  }
  const lastEvent = pending.at(-1)?.days ?? Infinity;
  await runUntil(-Infinity);
  const last = YEAR_DAYS.length - 1;
  return Math.min(lastEvent, YEAR_DAYS[last] - INSPECTION_WAIT_DAYS[last % INSPECTION_WAIT_DAYS.length]);
}
