import { errors } from '../../platform/errors.ts';
import { hasPermission } from '../../identity/roles.ts';
import type { ExportKind } from '../../exports/kinds.ts';
import { bi, renderRecordPdf, tr, val } from '../../exports/recordExport.ts';
import { getReview } from './service.ts';
import { assembleInputs } from './inputs.ts';

// A management review as a sealed PDF (ISO 13485:2016 5.6.1 "records from management reviews shall
// be maintained"): the 12 inputs of 5.6.2 (frozen at the meeting; read live, and said so, while the
// review is only planned), the meeting, its decisions and actions (5.6.3), the approval; bound by
// its seal to the review stream's ledger head.
const OUTPUTS: Record<string, [string, string]> = {
  qms_improvement: ['Improvement of the QMS and its processes (5.6.3 a)', '质量管理体系及其过程的改进(5.6.3 a)'],
  product_improvement: ['Improvement of product (5.6.3 b)', '产品的改进(5.6.3 b)'],
  regulatory_change: [
    'Changes for new or revised regulatory requirements (5.6.3 c)',
    '应对新的或修订的法规要求的变更(5.6.3 c)',
  ],
  resources: ['Resource needs (5.6.3 d)', '资源需求(5.6.3 d)'],
};

export const managementReviewExport: ExportKind = {
  async access(s, user, id) {
    if (!hasPermission(user, 'review.read')) throw errors.forbidden('export this management review');
    await getReview(s, id);
  },
  async build(s, user, id, opts, progress) {
    const r = await getReview(s, id);
    const { locale } = opts;
    const t = tr(locale);
    const inputs = r.inputs ?? (await assembleInputs(s, { from: r.periodFrom, to: r.periodTo }, r._id));
    const out = (o: string) => t(...(OUTPUTS[o] ?? [o, o]));
    return renderRecordPdf(
      s,
      user,
      locale,
      {
        stream: `managementReview:${r._id}`,
        heading: `${t('Management review', '管理评审')} ${r.number}`,
        subtitle: r.title,
        reference: r.number,
        filename: `${r.number}-management-review.pdf`,
        notes: r.inputs
          ? [t(`Inputs as assembled on ${r.inputsAt}`, `输入于 ${r.inputsAt} 汇总`)]
          : [t('Inputs read live: the meeting is not recorded yet', '输入为实时数据:会议尚未记录')],
        sections: [
          {
            title: t('Review', '评审'),
            fields: [
              { label: t('Period', '评审期间'), value: `${r.periodFrom} – ${r.periodTo}` },
              { label: t('Meeting date', '会议日期'), value: val(r.meeting?.date ?? r.plannedDate) },
              { label: t('State', '状态'), value: r.state },
              { label: t('Attendees', '参加人员'), value: (r.meeting?.attendees ?? []).map((a) => a.name).join(', ') },
              { label: t('Approved by', '批准人'), value: r.approval ? `${r.approval.by} ${r.approval.at}` : '' },
            ],
          },
          ...inputs.map((i) => ({
            title: `${i.key}) ${bi(locale, i.title)}`,
            note: i.clause,
            fields: i.figures.map((x) => ({ label: bi(locale, x.label), value: val(x.value) })),
          })),
          {
            title: t('Discussion', '讨论'),
            fields: [{ label: t('Notes', '记录'), value: r.meeting?.discussion ?? '' }],
          },
          {
            title: t('Decisions (ISO 13485:2016 5.6.3)', '决定(ISO 13485:2016 5.6.3)'),
            table: {
              widths: '2,5',
              head: [t('Output', '输出'), t('Decision', '决定')],
              rows: (r.meeting?.decisions ?? []).map((d) => [out(d.output), d.text]),
            },
          },
          {
            title: t('Actions', '措施'),
            table: {
              widths: '1,4,2,2,2,1',
              head: [
                t('No.', '编号'),
                t('Action', '措施'),
                t('Output', '输出'),
                t('Owner', '负责人'),
                t('Due', '到期日'),
                t('Status', '状态'),
              ],
              rows: r.actions.map((a) => [a.id, a.description, out(a.output), a.owner.name, a.due, a.status]),
            },
          },
        ],
      },
      progress,
    );
  },
};
