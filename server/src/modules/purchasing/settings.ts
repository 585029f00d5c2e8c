import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { defineRecordType, streamOf } from '../../records/registry.ts';
import { asUser } from '../../records/command.ts';
import { Money } from '../../platform/fields.ts';

// The PO approval threshold (`purchasing_setting:approval`): a PO above it, or in another
// currency, waits for an approval signature (po.lifecycle.ts, `issue`).
export interface SettingState {
  approvalThresholdCny: number;
  changedAt: string;
  changedBy: string;
}
export const settingRecord = defineRecordType<SettingState>({
  type: 'purchasing_setting',
  collection: 'purchasing_settings',
  reduce: (_s, e) => ({
    approvalThresholdCny: (e.data as { approvalThresholdCny: number }).approvalThresholdCny,
    changedAt: e.at,
    changedBy: e.actor.name,
  }),
  content: (s) => ({ approvalThresholdCny: s.approvalThresholdCny }),
});

const SETTING_STREAM = streamOf('purchasing_setting', 'approval');
export const DEFAULT_THRESHOLD_CNY = 10_000;

/** The amount above which a PO needs an approval signature: the setting, else the environment, else 10 000 CNY. */
export async function approvalThreshold(s: Services): Promise<number> {
  const doc = await s.db
    .collection<SettingState & { _id: string }>(settingRecord.collection)
    .findOne({ _id: 'approval' });
  if (doc) return doc.approvalThresholdCny;
  const env = Number(process.env.PROVENANT_PO_APPROVAL_THRESHOLD_CNY);
  return Money.safeParse(env).success && process.env.PROVENANT_PO_APPROVAL_THRESHOLD_CNY !== ''
    ? env
    : DEFAULT_THRESHOLD_CNY;
}

export async function setApprovalThreshold(s: Services, user: SessionUser, amount: number, reason: string) {
  await asUser(user, () =>
    s.ledger.appendWithRetry(
      SETTING_STREAM,
      'purchasing.thresholdChanged',
      { approvalThresholdCny: amount },
      { reason },
    ),
  );
  return approvalThreshold(s);
}
