import { errors } from '../../platform/errors.ts';
import { hasPermission } from '../../identity/roles.ts';
import type { ExportKind } from '../../exports/kinds.ts';
import { bi, renderRecordPdf, tr, val } from '../../exports/recordExport.ts';
import type { Locale } from '../../pdf/templates.ts';
import type { RecallDoc } from './recall.record.ts';
import { effectiveness } from './presenter.ts';
import { getRecall } from './service.ts';

// A recall's two sealed PDFs: the field safety notice (EU MDR Art. 89(8); MDCG/MEDDEV 2.12-1 FSN
// content: the devices affected by lot and serial, the reason, the action the user is asked to
// take) and the customer list (every consignee of the affected units from the lots' shipments, with
// its notification and acknowledgement: 21 CFR 7.49 / 806.10(c)(8), NMPA 召回管理办法 第十六条).
// Each is bound by its seal to the recall stream's ledger head.
async function readable(s: Parameters<ExportKind['access']>[0], user: Parameters<ExportKind['access']>[1], id: string) {
  if (!hasPermission(user, 'recall.read')) throw errors.forbidden('export this recall');
  return getRecall(s, id);
}

const level = (t: ReturnType<typeof tr>, r: RecallDoc) =>
  `${t('Class / level', '召回级别')} ${r.level} · ${r.kind === 'removal' ? t('removal', '撤回') : t('correction', '纠正')}`;

function unitsTable(locale: Locale, r: RecallDoc) {
  const t = tr(locale);
  return {
    title: t('Affected devices', '受影响产品'),
    table: {
      widths: '2,2,2,1',
      head: [t('Part number', '物料编码'), t('Lot', '批号'), t('Serial', '序列号'), t('Units shipped', '已发货数量')],
      rows: r.units.map((u) => [u.item.partNumber, u.lotNumber, val(u.serial), val(u.shipped)]),
    },
  };
}

export const recallNoticeExport: ExportKind = {
  async access(s, user, id) {
    await readable(s, user, id);
  },
  async build(s, user, id, opts, progress) {
    const r = await getRecall(s, id);
    const { locale } = opts;
    const t = tr(locale);
    return renderRecordPdf(
      s,
      user,
      locale,
      {
        stream: `recall:${r._id}`,
        heading: `${t('Urgent field safety notice', '紧急现场安全通告')} ${r.number}`,
        subtitle: level(t, r),
        reference: r.number,
        filename: `${r.number}-field-safety-notice.pdf`,
        sections: [
          {
            title: t('Notice', '通告'),
            fields: [
              { label: t('Subject', '主题'), value: r.title },
              { label: t('Reason and risk', '原因与风险'), value: r.reason },
              { label: t('Initiated on', '发起日期'), value: r.initiatedOn },
              { label: t('Type of action', '措施类型'), value: level(t, r) },
              {
                label: t('Action to be taken by the user', '用户应采取的措施'),
                value: t(
                  'Identify and quarantine the devices listed below, stop using them, and return the acknowledgement form. Pass this notice on to everyone who needs to know within your organisation and to any organisation the devices were transferred to.',
                  '识别并隔离下列产品,停止使用,并回传确认表。请将本通告转达贵单位内所有需知晓人员,以及产品已转移到的任何单位。',
                ),
              },
              { label: t('Approved by', '批准人'), value: r.approval ? `${r.approval.by} ${r.approval.at}` : '' },
            ],
          },
          unitsTable(locale, r),
        ],
      },
      progress,
    );
  },
};

export const recallCustomersExport: ExportKind = {
  async access(s, user, id) {
    await readable(s, user, id);
  },
  async build(s, user, id, opts, progress) {
    const r = await getRecall(s, id);
    const { locale } = opts;
    const t = tr(locale);
    const e = effectiveness(r);
    const lotNo = new Map(r.units.map((u) => [u.lotId, u.serial ?? u.lotNumber]));
    return renderRecordPdf(
      s,
      user,
      locale,
      {
        stream: `recall:${r._id}`,
        heading: `${t('Recall customer list', '召回客户清单')} ${r.number}`,
        subtitle: r.title,
        reference: r.number,
        filename: `${r.number}-customer-list.pdf`,
        sections: [
          {
            title: t('Consignees', '收货单位'),
            table: {
              widths: '2,3,1,3,3,2',
              head: [
                t('Code', '代码'),
                t('Customer', '客户'),
                t('Units', '数量'),
                t('Lots / serials', '批号/序列号'),
                t('Notified', '已通知'),
                t('Acknowledged', '已确认'),
              ],
              rows: r.customers.map((c) => [
                c.code,
                bi(locale, c.name),
                val(c.units),
                c.lots.map((l) => lotNo.get(l) ?? l).join(', '),
                c.notification ? `${c.notification.date} ${c.notification.method} ${c.notification.reference}` : '',
                c.acknowledgement ? `${c.acknowledgement.date} ${c.acknowledgement.contact}` : '',
              ]),
            },
          },
          unitsTable(locale, r),
          {
            title: t('Effectiveness', '有效性'),
            fields: [
              { label: t('Units in the field', '市场上的产品数'), value: val(e.total) },
              { label: t('Accounted for', '已处理'), value: `${e.accounted} (${e.percent}%)` },
              { label: t('Not found', '未找到'), value: val(e.notFound) },
            ],
          },
        ],
      },
      progress,
    );
  },
};
