import { defineErrors } from '../../platform/errorCatalog.ts';

// The risk-management context's domain errors (ISO 14971:2019), each declared once.
type Scale = { value: number; levels: number };
export const RiskErrors = defineErrors('risk', {
  RISK_PLAN_EXISTS: {
    status: 409,
    en: 'This device already has a risk management plan; revise it instead.',
    zh: '该器械已有风险管理计划,请修订该计划。',
  },
  RISK_FILE_EXISTS: {
    status: 409,
    en: 'This device already has a risk management file.',
    zh: '该器械已有风险管理文档。',
  },
  /** ISO 14971:2019 4.4: risks are evaluated against the criteria of an approved plan. */
  RISK_NO_PLAN: {
    status: 409,
    en: 'The device has no approved risk management plan: its acceptability criteria are needed first.',
    zh: '该器械没有已批准的风险管理计划:需要先有风险可接受性准则。',
  },
  RISK_SCALE_INVALID: {
    status: 400,
    en: (p: { problem: string }) => `The acceptability policy is not valid: ${p.problem}.`,
    zh: (p: { problem: string }) => `风险可接受性准则无效:${p.problem}。`,
  },
  RISK_SEVERITY_OUT_OF_SCALE: {
    status: 400,
    en: (p: Scale) => `Severity ${p.value} is outside the plan's scale (1–${p.levels}).`,
    zh: (p: Scale) => `严重度 ${p.value} 超出计划的等级范围(1–${p.levels})。`,
  },
  RISK_PROBABILITY_OUT_OF_SCALE: {
    status: 400,
    en: (p: { value: string; levels: number }) =>
      `Probability ${p.value} is outside the plan's scale (${p.levels} levels).`,
    zh: (p: { value: string; levels: number }) => `概率 ${p.value} 超出计划的等级范围(共 ${p.levels} 级)。`,
  },
  RISK_ESTIMATE_MODE: {
    status: 400,
    en: (p: { need: string }) => `This plan estimates probability ${p.need}.`,
    zh: (p: { need: string }) => `该计划的概率估计方式:${p.need}。`,
  },
  RISK_ROW_UNKNOWN: {
    status: 404,
    en: (p: { id: string }) => `No row "${p.id}" in this risk file.`,
    zh: (p: { id: string }) => `该风险管理文档中没有条目"${p.id}"。`,
  },
  /** Issue 12: a control names the design input that implements it (ISO 13485:2016 7.3.3 c), of this device. */
  RISK_DESIGN_INPUT_UNKNOWN: {
    status: 400,
    en: (p: { id: string }) => `"${p.id}" is not a design input of this device's design projects.`,
    zh: (p: { id: string }) => `"${p.id}"不是该器械设计项目中的设计输入。`,
  },
  RISK_STEP_UNKNOWN: {
    status: 400,
    en: (p: { dmr: string; seq: number }) => `The DMR "${p.dmr}" has no routing step ${p.seq}.`,
    zh: (p: { dmr: string; seq: number }) => `DMR"${p.dmr}"没有工序 ${p.seq}。`,
  },
  RISK_CODE_UNKNOWN: {
    status: 400,
    en: (p: { code: string }) => `"${p.code}" is not an IMDRF code this product ships.`,
    zh: (p: { code: string }) => `"${p.code}"不是本系统提供的 IMDRF 代码。`,
  },
  /** ISO 13485:2016 5.5.1 / 4.2.5: the approval is independent of the work it approves. */
  RISK_APPROVER_AUTHORED: {
    status: 403,
    en: 'Whoever wrote this version cannot approve it.',
    zh: '编写该版本的人员不能批准它。',
  },
  /** ISO 14971:2019 7.4: a residual risk that is not acceptable needs its benefit-risk analysis. */
  RISK_BENEFIT_RISK_MISSING: {
    status: 409,
    en: (p: { rows: string }) =>
      `A benefit-risk analysis is required where residual risk is not acceptable: ${p.rows}.`,
    zh: (p: { rows: string }) => `剩余风险不可接受的条目需要受益-风险分析:${p.rows}。`,
  },
  /** ISO 14971:2019 7.2: implementation and effectiveness of each control are verified. */
  RISK_CONTROL_UNVERIFIED: {
    status: 409,
    en: (p: { rows: string }) => `Risk controls without verification of implementation and effectiveness: ${p.rows}.`,
    zh: (p: { rows: string }) => `风险控制措施缺少实施和有效性验证:${p.rows}。`,
  },
  RISK_RESIDUAL_MISSING: {
    status: 409,
    en: (p: { rows: string }) => `Residual risk is not estimated for: ${p.rows}.`,
    zh: (p: { rows: string }) => `以下条目未估计剩余风险:${p.rows}。`,
  },
  /** ISO 14971:2019 6 / 7: a production risk in the unacceptable zone is reduced before release of the file. */
  RISK_FMEA_UNACCEPTABLE: {
    status: 409,
    en: (p: { rows: string }) => `Process FMEA rows in the plan's unacceptable zone: ${p.rows}.`,
    zh: (p: { rows: string }) => `过程 FMEA 中处于计划不可接受区域的条目:${p.rows}。`,
  },
  /** ISO 14971:2019 10.2: the information linked to the file is a real complaint about this device. */
  RISK_COMPLAINT_UNKNOWN: {
    status: 404,
    en: (p: { id: string }) => `No complaint "${p.id}".`,
    zh: (p: { id: string }) => `没有投诉"${p.id}"。`,
  },
  RISK_COMPLAINT_OTHER_DEVICE: {
    status: 409,
    en: (p: { number: string; device: string }) =>
      `Complaint ${p.number} concerns ${p.device}, not this file's device.`,
    zh: (p: { number: string; device: string }) => `投诉 ${p.number} 涉及 ${p.device},不是本风险管理文档的器械。`,
  },
  RISK_COMPLAINT_ALREADY_LINKED: {
    status: 409,
    en: (p: { number: string; row: string }) => `Complaint ${p.number} is already linked to ${p.row}.`,
    zh: (p: { number: string; row: string }) => `投诉 ${p.number} 已关联到 ${p.row}。`,
  },
  RISK_WRONG_STATE: {
    status: 409,
    en: (p: { action: string; status: string }) => `Cannot ${p.action} while the record is ${p.status}.`,
    zh: (p: { action: string; status: string }) => `记录处于"${p.status}"状态,不能执行该操作。`,
  },
});
