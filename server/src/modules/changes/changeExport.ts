import { errors } from '../../platform/errors.ts';
import { hasPermission } from '../../identity/roles.ts';
import type { ExportKind } from '../../exports/kinds.ts';
import { bi, renderRecordPdf, tr, val } from '../../exports/recordExport.ts';
import { approvalsNeeded } from './change.record.ts';
import { IMPACT_QUESTIONS } from './events.ts';
import { itemStatus } from './implementation.ts';
import { getChange } from './service.ts';

// A change request as a sealed PDF (export kind 'change'; ISO 13485:2016 7.3.9, 4.1.4): what it
// names (document and DMR revisions with their states now, risk file rows, design elements, the
// CAPA), the impact assessment with the twelve 7.3.9 questions, the classification, the change
// board's decisions, the decisions on work orders in progress, the implementation and its
// effective date, then the signatures (21 CFR 11.50) and the history.
const QUESTIONS: Record<(typeof IMPACT_QUESTIONS)[number], [string, string]> = {
  function: ['Function', '功能'],
  performance: ['Performance', '性能'],
  usability: ['Usability', '可用性'],
  safety: ['Safety', '安全'],
  regulatory: ['Regulatory / registration', '法规 / 注册'],
  riskFile: ['Risk management file', '风险管理文档'],
  verificationValidation: ['Verification and validation needed', '需要的验证与确认'],
  labeling: ['Labeling', '标签'],
  suppliers: ['Suppliers', '供应商'],
  inventory: ['Inventory on hand', '现有库存'],
  workOrders: ['Work orders in progress', '在制工单'],
  delivered: ['Product already delivered', '已交付产品'],
};

export const changeExport: ExportKind = {
  async access(s, user, id) {
    if (!hasPermission(user, 'change.read')) throw errors.forbidden('export this change request');
    await getChange(s, id);
  },
  async build(s, user, id, opts, progress) {
    const c = await getChange(s, id);
    const { locale } = opts;
    const t = tr(locale);
    const yesNo = (b: boolean) => (b ? t('Yes', '是') : t('No', '否'));
    const items = await itemStatus(s, c);
    const kindLabel = (k: string) =>
      ({
        document: t('Document', '文件'),
        dmr: 'DMR',
        risk_row: t('Risk file row', '风险文档条目'),
        design_element: t('Design element', '设计要素'),
      })[k] ?? k;
    const woDecision = (d: string) =>
      ({
        finish_old: t('Finish on old revision', '按旧版本完成'),
        rework: t('Rework', '返工'),
        hold: t('Hold', '暂停'),
      })[d] ?? d;
    const stateLabel = {
      draft: t('Draft', '草稿'),
      approval: t('In approval', '审批中'),
      approved: t('Approved', '已批准'),
      implemented: t('Implemented', '已实施'),
      cancelled: t('Cancelled', '已取消'),
    }[c.state];
    return renderRecordPdf(
      s,
      user,
      locale,
      {
        stream: `change:${c._id}`,
        heading: `${t('Change request', '变更申请')} ${c.number}`,
        subtitle: `${bi(locale, c.title)} · ISO 13485:2016 7.3.9 / 4.1.4`,
        reference: c.number,
        filename: `${c.number}-change.pdf`,
        sections: [
          {
            title: t('Record', '记录'),
            fields: [
              { label: t('Number', '编号'), value: c.number },
              { label: t('Title', '标题'), value: bi(locale, c.title) },
              { label: t('State', '状态'), value: stateLabel },
              { label: t('Reason for change', '变更原因'), value: c.reason },
              { label: t('Requested by', '申请人'), value: `${c.requester.name} ${c.createdAt}` },
              { label: 'CAPA', value: val(c.capaId) },
            ],
          },
          {
            title: t('Revisions changed', '变更的版本'),
            table: {
              widths: '2,3,5,1,2,2',
              head: [
                t('Kind', '类型'),
                t('Number', '编号'),
                t('Title', '标题'),
                t('Revision', '版本'),
                t('State', '状态'),
                t('Effective now', '当前生效版本'),
              ],
              rows: items.map((i) => [
                kindLabel(i.kind),
                i.number,
                bi(locale, i.title),
                i.revision,
                val(i.state),
                val(i.effective),
              ]),
            },
          },
          {
            title: t('Risk file rows and design elements', '风险文档条目与设计要素'),
            table: {
              widths: '2,4,2,5',
              head: [t('Kind', '类型'), 'ID', t('Row', '条目'), t('Label', '名称')],
              rows: c.refs.map((r) => [kindLabel(r.kind), r.id, val(r.rowId), r.label]),
            },
          },
          {
            title: t('Impact assessment (ISO 13485:2016 7.3.9)', '影响评估(ISO 13485:2016 7.3.9)'),
            table: {
              widths: '4,1,7',
              head: [t('Question', '问题'), t('Affected', '受影响'), t('Note', '说明')],
              rows: c.impact
                ? IMPACT_QUESTIONS.map((q) => [t(...QUESTIONS[q]), yesNo(c.impact![q].affected), c.impact![q].note])
                : [],
            },
          },
          {
            title: t('Classification', '分类'),
            fields: [
              {
                label: t('Class', '类别'),
                value: c.classification
                  ? c.classification.class === 'major'
                    ? t('Major', '重大')
                    : t('Minor', '微小')
                  : '',
              },
              {
                label: t('Regulatory notification needed', '需要法规通报'),
                value: c.classification ? yesNo(c.classification.regulatoryNotification) : '',
              },
              { label: t('Rationale', '理由'), value: c.classification?.rationale ?? '' },
              { label: t('Approvals needed', '所需批准数'), value: String(approvalsNeeded(c)) },
            ],
          },
          {
            title: t('Change board decisions', '变更委员会决定'),
            table: {
              widths: '1,3,2,3,4',
              head: [
                t('Round', '轮次'),
                t('Board member', '委员'),
                t('Decision', '决定'),
                t('At', '时间'),
                t('Reason', '原因'),
              ],
              rows: c.decisions.map((d) => [
                String(d.iteration),
                d.name,
                d.decision === 'approved' ? t('Approved', '批准') : t('Rejected', '驳回'),
                d.at,
                val(d.reason),
              ]),
            },
          },
          {
            title: t('Decisions on work orders in progress', '在制工单处置决定'),
            table: {
              widths: '2,1,3,4,3',
              head: [
                t('Work order', '工单'),
                t('DMR revision', 'DMR 版本'),
                t('Decision', '决定'),
                t('Note', '说明'),
                t('By', '决定人'),
              ],
              rows: c.workOrderDecisions.map((d) => [
                d.number,
                d.revision,
                woDecision(d.decision),
                d.note,
                `${d.by.name} ${d.at}`,
              ]),
            },
          },
          {
            title: t('Implementation', '实施'),
            fields: [
              { label: t('Effective date', '生效日期'), value: val(c.effectiveDate) },
              { label: t('Implemented by', '实施人'), value: c.implementedBy?.name ?? '' },
              { label: t('Cancellation reason', '取消原因'), value: val(c.cancelReason) },
            ],
          },
        ],
      },
      progress,
    );
  },
};
