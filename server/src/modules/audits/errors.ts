import { defineErrors } from '../../platform/errorCatalog.ts';

// The audits context's domain errors, each declared once (ISO 13485:2016 8.2.4; 7.4.1 supplier evaluation).
export const AuditErrors = defineErrors('audits', {
  AUDITOR_NOT_INDEPENDENT: {
    status: 409,
    en: (p: { auditor: string }) =>
      `${p.auditor} is among the people whose work is audited: auditors shall not audit their own work (ISO 13485:2016 8.2.4).`,
    zh: (p: { auditor: string }) => `${p.auditor} 属于被审核人员:审核员不得审核自己的工作(ISO 13485:2016 8.2.4)。`,
  },
  AUDIT_PERSON_INACTIVE: {
    status: 409,
    en: (p: { user: string }) => `User ${p.user} does not exist or is disabled.`,
    zh: (p: { user: string }) => `用户 ${p.user} 不存在或已停用。`,
  },
  AUDIT_NOT_AUDITOR: {
    status: 403,
    en: 'Only an auditor of this audit may record it.',
    zh: '只有本次审核的审核员可以记录。',
  },
  AUDIT_NOT_LEAD: { status: 403, en: 'Only the lead auditor submits the report.', zh: '只有审核组长可以提交报告。' },
  AUDIT_AUDITOR_CANNOT_APPROVE: {
    status: 409,
    en: 'An auditor of this audit cannot approve its report.',
    zh: '本次审核的审核员不能批准其报告。',
  },
  AUDIT_CLAUSE_NOT_IN_PLAN: {
    status: 409,
    en: (p: { clause: string }) => `Clause ${p.clause} is not in this audit's plan.`,
    zh: (p: { clause: string }) => `条款 ${p.clause} 不在本次审核计划中。`,
  },
  AUDIT_CHECKLIST_INCOMPLETE: {
    status: 409,
    en: 'Every planned clause needs a checklist result before the report.',
    zh: '提交报告前,每个计划条款都需要检查结果。',
  },
  AUDIT_WRONG_STATE: {
    status: 409,
    en: (p: { action: string; state: string }) => `Cannot ${p.action} an audit that is ${p.state}.`,
    zh: (p: { action: string; state: string }) => `审核处于"${p.state}"状态,不能执行"${p.action}"。`,
  },
  AUDIT_PROGRAMME_YEAR: {
    status: 409,
    en: 'The audit falls outside the programme cycle.',
    zh: '该审核不在审核方案周期内。',
  },
});
