import { errors } from '../../platform/errors.ts';
import { hasPermission } from '../../identity/roles.ts';
import { todayUtc } from '../../platform/dates.ts';
import type { ExportKind } from '../../exports/kinds.ts';
import { renderRecordPdf, tr, val } from '../../exports/recordExport.ts';
import { listDecisions } from '../reporting/service.ts';
import type { ReportabilityDoc } from '../reporting/reportability.record.ts';
import { getComplaint } from './service.ts';
import { REPORT_FORM_DEFS, type ReportContext } from './reportForms/index.ts';
import { device, findings, terms, yesNo } from './reportForms/context.ts';

// A complaint as sealed PDFs. Export kind 'complaint': the QMSR 820.35(a) record (device, UDI,
// dates, complainant, nature, correction, reply), the vigilance facts, IMDRF codes, the
// investigation or the reason for none (ISO 13485:2016 8.2.2), its reportability decisions, then
// the signatures (21 CFR 11.50) and the history. Export kind 'complaint-report' with a `form`
// ('fda-3500a' | 'eu-mir' | 'nmpa'): the regulator's form in its own section and field order,
// filled from the complaint and the form's jurisdiction's decision; a field the product does not
// hold is printed empty.
const canRead = async (
  s: Parameters<ExportKind['access']>[0],
  user: Parameters<ExportKind['access']>[1],
  id: string,
) => {
  if (!hasPermission(user, 'records.read')) throw errors.forbidden('export this complaint');
  await getComplaint(s, id);
};
/** The latest decision of a jurisdiction (a supplement follows its report). */
const latestOf = (ds: ReportabilityDoc[], jurisdiction: string) =>
  ds.filter((d) => d.jurisdiction === jurisdiction).sort((a, b) => b.openedAt.localeCompare(a.openedAt))[0] ?? null;

export const complaintExport: ExportKind = {
  access: (s, user, id) => canRead(s, user, id),
  async build(s, user, id, opts, progress) {
    const c = await getComplaint(s, id);
    const { locale } = opts;
    const t = tr(locale);
    const x: ReportContext = { c, decision: null, locale, today: todayUtc() };
    const decisions = await listDecisions(s, { complaintId: c._id });
    const inv = c.investigation;
    return renderRecordPdf(
      s,
      user,
      locale,
      {
        stream: `complaint:${c._id}`,
        heading: `${t('Complaint', '投诉')} ${c.number}`,
        subtitle: 'QMSR 21 CFR 820.35(a) · ISO 13485:2016 8.2.2',
        reference: c.number,
        filename: `${c.number}-complaint.pdf`,
        sections: [
          {
            title: t('Complaint record', '投诉记录'),
            fields: [
              { label: t('Number', '编号'), value: c.number },
              { label: t('Status', '状态'), value: c.status },
              { label: t('Device', '器械'), value: `${c.device.partNumber} ${device(x)}` },
              { label: 'UDI-DI', value: val(c.udi.di) },
              { label: t('Lot', '批号'), value: val(c.udi.lot) },
              { label: t('Serial', '序列号'), value: val(c.udi.serial) },
              { label: t('Expiry date', '失效日期'), value: val(c.udi.expiryDate) },
              { label: t('Manufacturing date', '生产日期'), value: val(c.udi.mfgDate) },
              { label: t('UDI (human readable)', 'UDI(人工可读)'), value: val(c.udi.hri) },
              { label: t('Date received', '接收日期'), value: c.receivedDate },
              { label: t('Awareness date', '获知日期'), value: c.awarenessDate },
              { label: t('Due', '到期日'), value: c.due },
              { label: t('Complainant', '投诉人'), value: c.complainant.name },
              { label: t('Address', '地址'), value: c.complainant.address },
              { label: t('Phone', '电话'), value: c.complainant.phone },
              { label: t('Email', '电子邮件'), value: c.complainant.email },
              { label: t('Nature of the complaint', '投诉性质'), value: c.nature },
              { label: t('Country of occurrence', '发生国家'), value: c.country },
              {
                label: t('Device failed its specifications', '器械未满足规格'),
                value: yesNo(x, c.failedSpecifications),
              },
              {
                label: t('Used for treatment or diagnosis', '用于治疗或诊断'),
                value: yesNo(x, c.usedForTreatmentOrDiagnosis),
              },
              { label: t('Relationship to the event', '与事件的关系'), value: c.relationship },
              { label: t('Correction', '纠正'), value: val(c.correction) },
              { label: t('Reply', '答复'), value: val(c.reply) },
              { label: t('Reply date', '答复日期'), value: val(c.replyDate) },
              { label: 'NC', value: val(c.ncId) },
              { label: 'CAPA', value: val(c.capaId) },
            ],
          },
          {
            title: t('IMDRF codes', 'IMDRF 代码'),
            fields: [
              { label: t('A Device problem', 'A 器械问题'), value: terms(x, 'A', c.codes.A) },
              { label: t('E Clinical signs', 'E 临床体征'), value: terms(x, 'E', c.codes.E) },
              { label: t('F Health impact', 'F 健康影响'), value: terms(x, 'F', c.codes.F) },
              { label: t('G Component', 'G 部件'), value: terms(x, 'G', c.codes.G) },
            ],
          },
          {
            title: t('Investigation', '调查'),
            fields: [
              { label: t('Investigated', '是否调查'), value: inv ? yesNo(x, inv.investigated) : '' },
              {
                label:
                  inv && !inv.investigated
                    ? t('Reason no investigation is needed', '无需调查的理由')
                    : t('Findings', '调查结果'),
                value: findings(x),
              },
              { label: t('Date', '日期'), value: inv?.date ?? '' },
              {
                label: t('Cause codes (B, C, D)', '原因代码(B、C、D)'),
                value: [terms(x, 'B', inv?.codes?.B), terms(x, 'C', inv?.codes?.C), terms(x, 'D', inv?.codes?.D)]
                  .filter(Boolean)
                  .join('; '),
              },
              { label: t('Signed by', '签署人'), value: inv ? `${inv.signed.by} ${inv.signed.at}` : '' },
              { label: t('Closed by', '关闭人'), value: c.closure ? `${c.closure.by} ${c.closure.at}` : '' },
            ],
          },
          {
            title: t('Reportability decisions', '可报告性决定'),
            table: {
              widths: '2,2,2,5,3',
              head: [
                t('Jurisdiction', '辖区'),
                t('Status', '状态'),
                t('Due', '到期'),
                t('Rationale', '理由'),
                t('Submission', '提交'),
              ],
              rows: decisions.map((d) => [
                d.jurisdiction,
                d.status,
                val(d.decision?.dueDate),
                d.decision?.rationale ?? '',
                d.submission ? `${d.submission.submittedOn} ${d.submission.reference}` : '',
              ]),
            },
          },
        ],
      },
      progress,
    );
  },
};

export const complaintReportExport: ExportKind = {
  async access(s, user, id, opts) {
    await canRead(s, user, id);
    if (!opts?.form)
      throw errors.validation('form', {
        en: 'one of fda-3500a, eu-mir, nmpa',
        zh: '应为 fda-3500a、eu-mir 或 nmpa 之一',
      });
  },
  async build(s, user, id, opts, progress) {
    const def = opts.form ? REPORT_FORM_DEFS[opts.form] : undefined;
    if (!def)
      throw errors.validation('form', {
        en: 'one of fda-3500a, eu-mir, nmpa',
        zh: '应为 fda-3500a、eu-mir 或 nmpa 之一',
      });
    const c = await getComplaint(s, id);
    const { locale } = opts;
    const decision = latestOf(await listDecisions(s, { complaintId: c._id }), def.jurisdiction);
    const x: ReportContext = { c, decision, locale, today: todayUtc() };
    const pick = (b: { en: string; zh: string }) => (locale === 'zh-CN' ? b.zh : b.en);
    const t = tr(locale);
    return renderRecordPdf(
      s,
      user,
      locale,
      {
        stream: `complaint:${c._id}`,
        heading: pick(def.title),
        subtitle: `${t('Complaint', '投诉')} ${c.number} · ${t('decision', '决定')} ${decision ? `${decision.jurisdiction} ${decision.status}` : t('none', '无')}`,
        notes: [
          pick(def.source),
          t(
            'Empty fields: the product does not hold this information; complete them before submission.',
            '空白栏目:系统中无此信息,提交前请补充。',
          ),
        ],
        sections: def.sections(x),
        reference: `${c.number} · ${opts.form}`,
        filename: `${c.number}-${opts.form}.pdf`,
        signaturesAndHistory: false,
      },
      progress,
    );
  },
};
