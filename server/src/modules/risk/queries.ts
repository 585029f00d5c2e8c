import type { Services } from '../../platform/services.ts';
import type { RiskPlanDoc } from './plan.record.ts';
import type { RiskFileDoc } from './riskfile.record.ts';
import { RISK_FILES, RISK_PLANS } from './collections.ts';

export const riskPlans = (s: Services) => s.db.collection<RiskPlanDoc>(RISK_PLANS);
export const riskFiles = (s: Services) => s.db.collection<RiskFileDoc>(RISK_FILES);

/** The device's approved plan (revision and content), or null. */
export async function approvedPlan(s: Services, itemId: string) {
  const p = await riskPlans(s).findOne({ itemId });
  return p?.effective ? { revision: p.revision, content: p.effective } : null;
}
