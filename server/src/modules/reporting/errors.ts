import { defineErrors } from '../../platform/errorCatalog.ts';

// The reporting context's domain errors, each declared once.
export const ReportingErrors = defineErrors('reporting', {
  REPORTING_RULE_NOT_FOUND: {
    status: 422,
    en: (p: { jurisdiction: string; code: string }) => `${p.jurisdiction} has no reporting rule "${p.code}".`,
    zh: (p: { jurisdiction: string; code: string }) => `${p.jurisdiction} 没有报告规则"${p.code}"。`,
  },
  REPORTING_RULE_REQUIRED: {
    status: 422,
    en: 'The facts match no reporting rule: name the rule whose clock applies.',
    zh: '事实与任何报告规则都不匹配:请指定适用的报告时限规则。',
  },
  REPORTABILITY_DECIDED: {
    status: 409,
    en: 'This reportability decision has already been made.',
    zh: '该可报告性判定已作出。',
  },
  REPORT_NOT_AWAITED: {
    status: 409,
    en: 'Only a reportable event whose report is not yet submitted can record a submission.',
    zh: '只有判定为需报告且尚未提交报告的事件才能登记提交。',
  },
  SUBMISSION_DATE_INVALID: {
    status: 422,
    en: 'The submission date must be between the awareness date and today.',
    zh: '提交日期必须介于获知日期与今天之间。',
  },
  SUPPLEMENT_NEEDS_SUBMITTED_REPORT: {
    status: 409,
    en: 'A supplemental report follows a submitted report of the same complaint in the same jurisdiction.',
    zh: '补充报告只能针对同一投诉在同一辖区已提交的报告。',
  },
  AWARENESS_IN_FUTURE: {
    status: 422,
    en: 'The awareness date cannot be in the future.',
    zh: '获知日期不能晚于当前时间。',
  },
});
