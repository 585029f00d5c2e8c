import type { Services } from '../../platform/services.ts';
import { errors } from '../../platform/errors.ts';
import { DEFAULT_JURISDICTIONS, type Jurisdiction } from './defaults.ts';
import { REPORTING_RULES, rulesRecord, type RulesDoc } from './rules.record.ts';
import { openRecords } from '../../records/openRecords.ts';

// Reading the rules: a jurisdiction's recorded rules, else the shipped defaults (version 0: not
// yet on the ledger; its first change records them first, rules.service.ts).
export type RulesView = Jurisdiction & { version: number; changedAt: string | null; changedBy: string | null };

export const rulesCollection = (s: Services) => s.db.collection<RulesDoc>(REPORTING_RULES);

const fromDefaults = (j: Jurisdiction): RulesView => ({ ...j, version: 0, changedAt: null, changedBy: null });
const fromDoc = (d: RulesDoc): RulesView => ({
  jurisdiction: d.jurisdiction,
  name: d.name,
  timeZone: d.timeZone,
  weekend: d.weekend,
  holidays: d.holidays,
  workdays: d.workdays ?? [],
  rules: d.rules,
  version: d.ledgerVersion,
  changedAt: d.changedAt,
  changedBy: d.changedBy,
});

export async function allRules(s: Services): Promise<RulesView[]> {
  const recorded = await rulesCollection(s).find({}).limit(500).toArray();
  const byCode = new Map(recorded.map((d) => [d._id, fromDoc(d)]));
  for (const j of DEFAULT_JURISDICTIONS) if (!byCode.has(j.jurisdiction)) byCode.set(j.jurisdiction, fromDefaults(j));
  return [...byCode.values()].sort((a, b) => a.jurisdiction.localeCompare(b.jurisdiction));
}

export async function rulesOf(s: Services, jurisdiction: string): Promise<RulesView> {
  return orDefaults(await rulesCollection(s).findOne({ _id: jurisdiction }), jurisdiction);
}

/**
 * A jurisdiction's rules for a page, the inbox or a dashboard (recall clocks on every inbox view):
 * from this server's in-process copy of the recorded rules (records/openRecords.ts: no engine round
 * trip when nothing changed, another server's change within 1 s). Commands read `rulesOf`.
 */
export async function rulesForView(s: Services, jurisdiction: string): Promise<RulesView> {
  const recorded = await openRecords<RulesDoc>(s, rulesRecord, 'all', () => true);
  return orDefaults(recorded.find((d) => d._id === jurisdiction) ?? null, jurisdiction);
}

function orDefaults(d: RulesDoc | null, jurisdiction: string): RulesView {
  if (d) return fromDoc(d);
  const j = DEFAULT_JURISDICTIONS.find((x) => x.jurisdiction === jurisdiction);
  if (!j) throw errors.notFound(`jurisdiction "${jurisdiction}"`);
  return fromDefaults(j);
}
