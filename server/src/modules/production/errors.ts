import { defineErrors } from '../../platform/errorCatalog.ts';
import type { Refusal } from '../../records/lifecycle.ts';

// Production's domain errors, each declared once (issue 10). Commands throw `E.CODE(params)`;
// the lifecycle declaration takes the same entries as data with `refusal(code, params)`.
// Shared codes stay with the context that owns them: NO_QUARANTINE_LOCATION (receiving),
// ITEM_INACTIVE (items), NUMBERING_BUSY (document numbering).
type Name = { en: string; zh: string };
/** The states as the Chinese screens name them (client/src/locales/zh-CN/production.json). */
const STATE_ZH: Record<string, string> = {
  planned: '已计划',
  released: '已下达',
  in_progress: '生产中',
  completed: '已完工',
  closed: '已关闭',
  cancelled: '已取消',
};
const ENTRIES = {
  WORK_ORDER_WRONG_STATE: {
    status: 409,
    en: (p: { number: string; state: string; action: string }) =>
      `Work order ${p.number} is ${p.state.replace('_', ' ')}; it cannot ${p.action.replace(/_/g, ' ')} now.`,
    zh: (p: { number: string; state: string; action: string }) =>
      `工单 ${p.number} 处于"${STATE_ZH[p.state] ?? p.state}"状态,现在不能执行该操作。`,
  },
  DHR_INCOMPLETE: { status: 409, en: 'The DHR is not complete (see the checklist).', zh: 'DHR 不完整(见检查清单)。' },
  /** ISO 13485:2016 7.3.9: a change decided to hold this order until it is implemented or cancelled. */
  WORK_ORDER_HELD_BY_CHANGE: {
    status: 409,
    en: (p: { change: string }) =>
      `Change ${p.change} holds this work order until the change is implemented or cancelled.`,
    zh: (p: { change: string }) => `变更 ${p.change} 暂停了该工单,直至变更实施或取消。`,
  },
  STEPS_OPEN: { status: 409, en: 'Not every operation is done yet.', zh: '尚有工序未完成。' },
  RELEASE_SIGNATURE_MISSING: {
    status: 409,
    en: (p: { number: string }) =>
      `Work order ${p.number} has no QA release signature on its record; its output stays in quarantine.`,
    zh: (p: { number: string }) => `工单 ${p.number} 的记录中没有 QA 放行签名,其产出仍处于待检状态。`,
  },
  DEVIATION_CLOSED: {
    status: 409,
    en: (p: { number: string }) => `Deviation ${p.number} is already closed.`,
    zh: (p: { number: string }) => `偏差 ${p.number} 已关闭。`,
  },
  STEP_ALREADY_PERFORMED: {
    status: 409,
    en: (p: { seq: number }) => `Operation ${p.seq} was already performed.`,
    zh: (p: { seq: number }) => `工序 ${p.seq} 已执行。`,
  },
  STEP_NOT_AWAITING_VERIFICATION: {
    status: 409,
    en: (p: { seq: number }) => `Operation ${p.seq} is not awaiting verification.`,
    zh: (p: { seq: number }) => `工序 ${p.seq} 不在待复核状态。`,
  },
  STEP_OUT_OF_ORDER: {
    status: 409,
    en: (p: { seq: number; name: Name }) => `Operation ${p.seq} (${p.name.en}) comes first; steps cannot be skipped.`,
    zh: (p: { seq: number; name: Name }) => `须先完成工序 ${p.seq}(${p.name.zh}),不得跳过工序。`,
  },
  // one status for the code: nobody can be trained on a work instruction without an effective revision either
  NOT_TRAINED: {
    status: 403,
    en: (p: { wi: string; revision: string | null; title: Name }) =>
      p.revision
        ? `You are not trained on ${p.wi} revision ${p.revision} (${p.title.en}); complete the training before performing this step.`
        : `${p.wi} has no effective revision; nobody can be trained on it.`,
    zh: (p: { wi: string; revision: string | null; title: Name }) =>
      p.revision
        ? `您尚未完成 ${p.wi} 第 ${p.revision} 版(${p.title.zh})的培训,完成培训后方可执行此工序。`
        : `${p.wi} 没有生效版本,无法完成培训。`,
  },
  EQUIPMENT_REQUIRED: {
    status: 400,
    en: (p: { seq: number; type: string }) => `Operation ${p.seq} needs equipment of type "${p.type}".`,
    zh: (p: { seq: number; type: string }) => `工序 ${p.seq} 需要使用"${p.type}"类设备。`,
  },
  EQUIPMENT_WRONG_TYPE: {
    status: 409,
    en: (p: { code: string; type: string; seq: number; needed: string }) =>
      `${p.code} is a ${p.type}; operation ${p.seq} needs a ${p.needed}.`,
    zh: (p: { code: string; type: string; seq: number; needed: string }) =>
      `${p.code} 属于"${p.type}",工序 ${p.seq} 需要"${p.needed}"。`,
  },
  VALUE_MISSING: {
    status: 400,
    en: (p: { seq: number; missing: string[] }) => `Enter ${p.missing.join(', ')} for operation ${p.seq}.`,
    zh: (p: { seq: number; missing: string[] }) => `请填写工序 ${p.seq} 的 ${p.missing.join('、')}。`,
  },
  ITEM_NOT_IN_BOM: {
    status: 409,
    en: (p: { partNumber: string; number: string; revision: string }) =>
      `${p.partNumber} is not in the BOM of ${p.number} (DMR revision ${p.revision}).`,
    zh: (p: { partNumber: string; number: string; revision: string }) =>
      `${p.partNumber} 不在工单 ${p.number} 的物料清单中(DMR 版本 ${p.revision})。`,
  },
  OVER_ISSUE: {
    status: 409,
    en: (p: { partNumber: string; issued: number; required: number; unit: string; quantity: number }) =>
      `${p.partNumber}: ${p.issued} of ${p.required} ${p.unit} issued; issuing ${p.quantity} more needs a reason.`,
    zh: (p: { partNumber: string; issued: number; required: number; unit: string; quantity: number }) =>
      `${p.partNumber}:已发 ${p.issued}/${p.required} ${p.unit},再发 ${p.quantity} 需填写原因。`,
  },
  MATERIAL_COUNT_MISMATCH: {
    status: 409,
    en: (p: { partNumber: string; consumed: number; scrapped: number; issued: number; unit: string }) =>
      `${p.partNumber}: consumed ${p.consumed} + scrapped ${p.scrapped} is not the ${p.issued} ${p.unit} issued.`,
    zh: (p: { partNumber: string; consumed: number; scrapped: number; issued: number; unit: string }) =>
      `${p.partNumber}:消耗 ${p.consumed} + 报废 ${p.scrapped} 不等于已发 ${p.issued} ${p.unit}。`,
  },
  NO_LABELING_SPEC: {
    status: 409,
    en: 'The DMR revision of this work order has no UDI labeling spec.',
    zh: '该工单的 DMR 版本未规定 UDI 标签。',
  },
  NO_GTIN: {
    status: 409,
    en: 'The device has no GTIN; a UDI label needs one.',
    zh: '该器械没有 GTIN,无法生成 UDI 标签。',
  },
  NO_LABELS_PRINTED: {
    status: 409,
    en: 'No labels were printed for this work order; there is nothing to reconcile.',
    zh: '该工单未打印标签,无需对账。',
  },
  LABEL_COUNT_MISMATCH: {
    status: 409,
    en: (p: { printed: number; used: number; destroyed: number }) =>
      `${p.printed} labels were printed; used ${p.used} + destroyed ${p.destroyed} does not account for them.`,
    zh: (p: { printed: number; used: number; destroyed: number }) =>
      `共打印 ${p.printed} 张标签,使用 ${p.used} + 销毁 ${p.destroyed} 与之不符。`,
  },
  REASON_REQUIRED: { status: 400, en: 'Say why labels were destroyed.', zh: '请说明标签销毁的原因。' },
  LABELS_NOT_PRINTABLE: {
    status: 409,
    en: (p: { why: Name }) =>
      `This order's UDI labels could not be printed: ${p.why.en} Fix the item, the DMR's labeling spec or the serial numbering first.`,
    zh: (p: { why: Name }) => `本工单的 UDI 标签无法打印:${p.why.zh}请先修正物料、DMR 标签规范或序列号编号规则。`,
  },
  NO_EFFECTIVE_DMR: {
    status: 409,
    en: (p: { partNumber: string }) => `${p.partNumber} has no effective DMR revision; production cannot start.`,
    zh: (p: { partNumber: string }) => `${p.partNumber} 没有生效的 DMR 版本,不能投产。`,
  },
  DMR_WITHOUT_ROUTING: {
    status: 409,
    en: (p: { partNumber: string; revision: string }) =>
      `DMR revision ${p.revision} of ${p.partNumber} has no routing.`,
    zh: (p: { partNumber: string; revision: string }) => `${p.partNumber} 的 DMR 版本 ${p.revision} 没有工艺路线。`,
  },
} as const;

export const E = defineErrors('production', ENTRIES);

/** A catalog entry as a lifecycle refusal (data the declaration holds; records/lifecycle.ts throws it). */
export function refusal<K extends keyof typeof ENTRIES>(
  code: K,
  p?: Parameters<(typeof E)[K]>[0],
  details?: unknown,
): Refusal {
  const e = (E[code] as (p?: unknown) => { params: Record<string, string | number>; status: number })(p);
  return {
    code,
    en: String(e.params.en),
    zh: String(e.params.zh),
    status: e.status,
    ...(details !== undefined ? { details } : {}),
  };
}
