import type { Services } from '../server/src/platform/services.ts';
import { createUser, usersCollection } from '../server/src/identity/userService.ts';
import { DEMO_PASSWORD, DEMO_USERS } from './demo-users.ts';
import { SYSTEM_ACTOR, requestContext } from '../server/src/platform/context.ts';
import { seedDocuments } from './documents.ts';
import { seedErp } from './erp.ts';
import { seedDmrs } from './dmr.ts';
import {
  calibrateDemoEquipment,
  EQUIPMENT_CALIBRATIONS,
  EQUIPMENT_REGISTERED,
  PRODUCTION_HISTORY,
  produceHistoricalLot,
  registerDemoEquipment,
  stockForProductionHistory,
  seedProduction,
} from './production.ts';
import { seedQuality } from './quality.ts';
import { seedDesign } from './design.ts';
import { seedRisk } from './risk.ts';
import { seedCustomers, seedHistory, seedInternalAudit, sellLot } from './history.ts';
import { DOCUMENTS_EFFECTIVE, seedYear, YEAR_DAYS } from './year.ts';
import { recallDrillEvents } from './recallDrill.ts';
import { managementReviewEvents } from './managementReview.ts';
import { pastQualityEvents } from './pastQuality.ts';
import { trainingEvents } from './trainingHistory.ts';
import { daysAgo, HISTORY_STARTS, onDay, recordSimulatedHistory, renewDemoPasswords } from './timeline.ts';
import { todayUtc } from '../server/src/platform/dates.ts';

/**
 * Loads the demo company into an empty database; returns what to print, or null if not empty.
 * Only an empty database: the seed writes a year of history under a simulated clock
 * (platform/clock.ts), which must never be mixed with real records.
 */
export async function seedIfEmpty(s: Services): Promise<string | null> {
  if ((await usersCollection(s).countDocuments({})) > 0) return null;
  return seed(s);
}

export async function seed(s: Services): Promise<string> {
  return requestContext.run({ requestId: 'seed', locale: 'en-US', actor: SYSTEM_ACTOR }, async () => {
    // the past (simulated clock, seed/timeline.ts): a year ago the people, items, locations,
    // customers and qualified suppliers; then a year of monthly receipts, each waiting a few days
    // for its inspection, the equipment's calibrations, the internal audit with its CAPA, six months
    // of production sold to hospitals and distributors, a complaint and an NC, the mock recall and
    // the management review
    const today = todayUtc(); // the real today, read before any simulated day
    let flows: (() => Promise<unknown>) | null = null;
    const simulatedFrom = daysAgo(HISTORY_STARTS);
    await onDay(HISTORY_STARTS, async () => {
      for (const u of DEMO_USERS) {
        if (await usersCollection(s).findOne({ username: u.username })) continue;
        await createUser(s, { ...u, password: DEMO_PASSWORD, temporary: false });
      }
      await seedErp(s, { today, defer: (f) => (flows = f) });
    });
    // the equipment registered and calibrated over the year; the internal audit in the summer,
    // midway between two receipts (clear of their inspection waits)
    const auditDay = Math.round((YEAR_DAYS[6] + YEAR_DAYS[7]) / 2);
    const stockDay = YEAR_DAYS[PRODUCTION_HISTORY[0].month - 1] - 8; // waits two days for its inspection
    // the quality system in force early in the year: the settled documents with their training,
    // and the device master records (the documents still in flight are written in the present)
    let documentsInFlight: (() => Promise<unknown>) | null = null;
    const lastDay = await seedYear(s, [
      { days: EQUIPMENT_REGISTERED, run: () => registerDemoEquipment(s) },
      {
        days: DOCUMENTS_EFFECTIVE,
        run: async () => {
          await seedDocuments(s, { today, later: (f) => (documentsInFlight = f) });
          await seedDmrs(s);
          await seedCustomers(s);
        },
      },
      ...EQUIPMENT_CALIBRATIONS.map((c) => ({ days: c.days, run: () => calibrateDemoEquipment(s, c.code) })),
      { days: auditDay, run: () => seedInternalAudit(s) },
      // six months of production: the stock it needs, then one small lot of infusion sets a month
      {
        days: stockDay,
        run: () => stockForProductionHistory(s, (f) => onDay(stockDay - 2, f)),
      },
      // each sold and shipped on the day of its release
      ...PRODUCTION_HISTORY.map((m) => ({
        days: YEAR_DAYS[m.month] - 12,
        run: async () => sellLot(s, { ...m.sale, lotId: await produceHistoricalLot(s, m) }),
      })),
      // training signed over the year and two later revisions; a complaint and an NC on the
      // history's lots; the mock recall of a clamp lot they consumed; the management review
      ...trainingEvents(s),
      ...pastQualityEvents(s),
      ...recallDrillEvents(s),
      ...managementReviewEvents(s),
    ]);
    await recordSimulatedHistory(s, simulatedFrom, daysAgo(lastDay - 1));
    await renewDemoPasswords(s, DEMO_PASSWORD);
    // the present (real clock): the documents in flight, purchasing, production, quality, sales and after-sales
    await (documentsInFlight as (() => Promise<unknown>) | null)?.();
    await (flows as (() => Promise<unknown>) | null)?.();
    await seedProduction(s);
    await seedQuality(s);
    await seedDesign(s);
    await seedRisk(s);
    await seedHistory(s);
    await s.checkpointer.create();
    const width = Math.max(...DEMO_USERS.map((u) => u.username.length));
    const rows = DEMO_USERS.map((u) => `  ${u.username.padEnd(width)}  ${u.roles.join(', ').padEnd(32)} ${u.fullName}`);
    return `Demo company loaded (康健医疗器械 / Kangjian Medical Devices). Accounts, all with password "${DEMO_PASSWORD}":\n${rows.join('\n')}`;
  });
}
