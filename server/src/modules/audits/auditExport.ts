import { errors } from '../../platform/errors.ts';
import { hasPermission } from '../../identity/roles.ts';
import type { ExportKind } from '../../exports/kinds.ts';
import { bi, renderRecordPdf, tr, val } from '../../exports/recordExport.ts';
import { capasOfFindings, getAudit } from './service.ts';

// An audit report as a sealed PDF (ISO 13485:2016 8.2.4 "records of the audits and their results,
// including identification of the processes and areas audited and the conclusions, shall be
// maintained"; ISO 19011:2018 6.5.1 the audit report: objectives, scope, criteria, dates, team,
// findings, conclusions): the plan, the checklist by clause, the findings with the CAPA each
// opened, the conclusion (passed = no major finding) and the report's approval signature, printed
// as its manifestation (recordExport.ts); bound by its seal to the audit stream's ledger head.
const STATES: Record<string, [string, string]> = {
  open: ['Open', '进行中'],
  reported: ['Reported', '已提交报告'],
  closed: ['Closed', '已关闭'],
};
const RESULTS: Record<string, [string, string]> = {
  conforming: ['Conforming', '符合'],
  nonconforming: ['Nonconforming', '不符合'],
  not_audited: ['Not audited', '未审核'],
};
const GRADES: Record<string, [string, string]> = {
  major: ['Major', '严重不符合'],
  minor: ['Minor', '一般不符合'],
  observation: ['Observation', '观察项'],
};

export const auditReportExport: ExportKind = {
  async access(s, user, id) {
    if (!hasPermission(user, 'audits.read')) throw errors.forbidden('export this audit');
    await getAudit(s, id);
  },
  async build(s, user, id, opts, progress) {
    const a = await getAudit(s, id);
    const { locale } = opts;
    const t = tr(locale);
    const of = (m: Record<string, [string, string]>, k: string) => t(...(m[k] ?? [k, k]));
    const capas = await capasOfFindings(s, a);
    const people = (l: Array<{ name: string }>) => l.map((p) => p.name).join(', ');
    const major = a.findings.filter((f) => f.grade === 'major').length;
    const conclusion =
      a.passed === null
        ? t(
            `Not concluded: the report is not approved (${major} major finding(s) so far)`,
            `尚无结论:报告未批准(目前 ${major} 项严重不符合)`,
          )
        : a.passed
          ? t('Passed: no major finding', '通过:无严重不符合')
          : t(`Not passed: ${major} major finding(s)`, `未通过:${major} 项严重不符合`);
    return renderRecordPdf(
      s,
      user,
      locale,
      {
        stream: `audit:${a._id}`,
        heading: `${t('Audit report', '审核报告')} ${a.number}`,
        subtitle: a.title,
        reference: a.number,
        filename: `${a.number}-audit-report.pdf`,
        sections: [
          {
            title: t('Audit plan (ISO 13485:2016 8.2.4)', '审核计划(ISO 13485:2016 8.2.4)'),
            fields: [
              {
                label: t('Kind', '类型'),
                value: a.kind === 'supplier' ? t('Supplier audit', '供应商审核') : t('Internal audit', '内部审核'),
              },
              {
                label: t('Supplier', '供应商'),
                value: a.supplier ? `${a.supplier.code} ${bi(locale, a.supplier.name)}` : '',
              },
              { label: t('Scope', '审核范围'), value: a.scope },
              { label: t('Criteria', '审核准则'), value: a.criteria ?? '' },
              { label: t('Clauses', '条款'), value: a.clauses.join(', ') },
              { label: t('Processes', '过程'), value: a.processes.join(', ') },
              { label: t('Dates', '日期'), value: `${a.start} – ${a.end}` },
              { label: t('Lead auditor', '审核组长'), value: a.lead.name },
              { label: t('Audit team', '审核组'), value: people(a.auditors) },
              { label: t('Auditees', '受审核方人员'), value: people(a.auditees) },
              { label: t('State', '状态'), value: of(STATES, a.state) },
            ],
          },
          {
            title: t('Agenda (ISO 19011:2018 6.3.2)', '审核日程(ISO 19011:2018 6.3.2)'),
            table: {
              widths: '2,1,4,2,2',
              head: [
                t('Date', '日期'),
                t('Time', '时间'),
                t('Activity', '活动'),
                t('Clauses', '条款'),
                t('Auditee', '受审核方'),
              ],
              rows: (a.agenda ?? []).map((x) => [x.date, x.time, x.topic, x.clauses.join(', '), x.auditee]),
            },
          },
          {
            title: t('Checklist by clause', '按条款的检查表'),
            table: {
              widths: '1,4,2,4,2',
              head: [
                t('Clause', '条款'),
                t('Question', '问题'),
                t('Result', '结果'),
                t('Evidence', '证据'),
                t('By', '记录人'),
              ],
              rows: a.clauses.map((c) => {
                const x = a.checklist.find((e) => e.clause === c);
                return [c, val(x?.question), x ? of(RESULTS, x.result) : '', val(x?.evidence), val(x?.by)];
              }),
            },
          },
          {
            title: t('Findings', '审核发现'),
            table: {
              widths: '1,1,2,5,4,2',
              head: [
                t('No.', '编号'),
                t('Clause', '条款'),
                t('Grade', '等级'),
                t('Statement', '描述'),
                t('Evidence', '证据'),
                'CAPA',
              ],
              rows: a.findings.map((f) => [
                f.id,
                f.clause,
                of(GRADES, f.grade),
                f.statement,
                f.evidence,
                capas.get(f.id)?.number ?? (f.capa ? t('not opened', '未开立') : ''),
              ]),
            },
          },
          {
            title: t('Conclusion', '结论'),
            fields: [
              { label: t('Conclusion', '结论'), value: conclusion },
              { label: t('Report', '报告'), value: a.report?.summary ?? '' },
              { label: t('Submitted by', '提交人'), value: a.report ? `${a.report.by} ${a.report.at}` : '' },
              { label: t('Approved by', '批准人'), value: a.approval ? `${a.approval.by} ${a.approval.at}` : '' },
            ],
          },
        ],
      },
      progress,
    );
  },
};
