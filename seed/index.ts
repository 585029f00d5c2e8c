import type { Services } from '../server/src/platform/services.ts';
import { createUser, usersCollection } from '../server/src/identity/userService.ts';
import { DEMO_PASSWORD, DEMO_USERS } from './demo-users.ts';
import { SYSTEM_ACTOR, requestContext } from '../server/src/platform/context.ts';
import { seedDocuments } from './documents.ts';
import { seedErp } from './erp.ts';
import { seedDmrs } from './dmr.ts';
import { seedProduction } from './production.ts';
import { seedQuality } from './quality.ts';
import { seedDesign } from './design.ts';
import { seedRisk } from './risk.ts';
import { seedHistory } from './history.ts';

/** Loads the demo company into an empty database; returns what to print, or null if not empty. */
export async function seedIfEmpty(s: Services): Promise<string | null> {
  if ((await usersCollection(s).countDocuments({})) > 0) return null;
  return seed(s);
}

export async function seed(s: Services): Promise<string> {
  return requestContext.run({ requestId: 'seed', locale: 'en-US', actor: SYSTEM_ACTOR }, async () => {
    for (const u of DEMO_USERS) {
      if (await usersCollection(s).findOne({ username: u.username })) continue;
      await createUser(s, { ...u, password: DEMO_PASSWORD, temporary: false });
    }
    await seedDocuments(s);
    await seedErp(s);
    await seedDmrs(s);
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
