import { errors } from '../../platform/errors.ts';
import { hasPermission } from '../../identity/roles.ts';
import type { ExportKind } from '../../exports/kinds.ts';
import { renderRecordPdf, tr, val, type Section } from '../../exports/recordExport.ts';
import type { Locale } from '../../pdf/templates.ts';
import type { CapaState } from './capa.record.ts';
import { SIX_M } from './schema.ts';
import { getCapa } from './service.ts';

// A CAPA as a sealed PDF (export kind 'capa'; ISO 13485:2016 8.5.2, 8.5.3): decision, problem,
// containment, the investigation in its method's structure, actions, linked changes, verification,
// closure, effectiveness checks, extensions, then the signatures (21 CFR 11.50) and the history.
function analysisSection(c: CapaState, locale: Locale): Section {
  const t = tr(locale);
  const inv = c.investigation;
  const title = t('Investigation', '调查');
  if (!inv) return { title, fields: [{ label: t('Root cause', '根本原因'), value: '' }] };
  const a = inv.analysis;
  const method = {
    five_why: t('5 Why', '5 个为什么'),
    fishbone: t('Fishbone (6M)', '鱼骨图(6M)'),
    fault_tree: t('Fault tree', '故障树'),
  }[a.method];
  const base = [
    { label: t('Method', '方法'), value: method },
    { label: t('Root cause', '根本原因'), value: inv.rootCause },
    { label: t('By', '调查人'), value: `${inv.by} ${inv.at}` },
  ];
  if (a.method === 'five_why')
    return {
      title,
      fields: base,
      table: {
        widths: '1,5,5',
        head: ['#', t('Why', '为什么'), t('Answer', '回答')],
        rows: a.whys.map((w, i) => [String(i + 1), w.why, w.answer]),
      },
    };
  if (a.method === 'fishbone')
    return {
      title,
      fields: base,
      table: {
        widths: '2,6',
        head: ['6M', t('Causes', '原因')],
        rows: SIX_M.map((m) => [m, a.categories[m].join('; ')]),
      },
    };
  return {
    title,
    fields: base,
    table: {
      widths: '2,2,2,6',
      head: [t('Node', '节点'), t('Parent', '父节点'), t('Kind', '类型'), t('Event', '事件')],
      rows: a.nodes.map((n) => [n.id, val(n.parent), n.kind, n.label]),
    },
  };
}

export const capaExport: ExportKind = {
  async access(s, user, id) {
    if (!hasPermission(user, 'records.read')) throw errors.forbidden('export this CAPA');
    await getCapa(s, id);
  },
  async build(s, user, id, opts, progress) {
    const c = await getCapa(s, id);
    const { locale } = opts;
    const t = tr(locale);
    return renderRecordPdf(
      s,
      user,
      locale,
      {
        stream: `capa:${c._id}`,
        heading: `CAPA ${c.number}`,
        subtitle: `${c.title} · ISO 13485:2016 8.5.2 / 8.5.3`,
        reference: c.number,
        filename: `${c.number}-capa.pdf`,
        sections: [
          {
            title: t('Record', '记录'),
            fields: [
              { label: t('Number', '编号'), value: c.number },
              { label: t('Title', '标题'), value: c.title },
              { label: t('State', '状态'), value: c.state },
              { label: t('Round', '轮次'), value: String(c.round) },
              { label: t('Source', '来源'), value: `${c.source.type} ${c.source.id}` },
              { label: t('Owner', '负责人'), value: c.owner.name },
              { label: t('Due', '到期日'), value: c.due },
              { label: t('Opened by', '开立人'), value: `${c.createdBy.name} ${c.createdAt}` },
              { label: t('Problem statement', '问题描述'), value: c.problem },
            ],
          },
          {
            title: t('Decision to open', '立项决定'),
            fields: [
              { label: t('Decision', '决定'), value: c.decision?.decision ?? '' },
              {
                label: t('Risk (severity × occurrence)', '风险(严重度 × 发生度)'),
                value: c.decision ? `${c.decision.risk.severity} × ${c.decision.risk.occurrence}` : '',
              },
              { label: t('Rationale', '理由'), value: c.decision?.rationale ?? '' },
              { label: t('Decided by', '决定人'), value: c.decision ? `${c.decision.by} ${c.decision.at}` : '' },
            ],
          },
          {
            title: t('Containment', '围堵措施'),
            fields: [
              {
                label: t('Containment', '围堵措施'),
                value: c.containment ? `${c.containment.text} (${c.containment.by} ${c.containment.at})` : '',
              },
            ],
          },
          analysisSection(c, locale),
          {
            title: t('Actions', '措施'),
            table: {
              widths: '1,5,2,2,1,4',
              head: [
                t('Round', '轮次'),
                t('Action', '措施'),
                t('Owner', '负责人'),
                t('Due', '到期'),
                t('Status', '状态'),
                t('Evidence', '证据'),
              ],
              rows: c.tasks.map((k) => [
                String(k.round),
                k.description,
                k.owner.name,
                k.due,
                k.status,
                `${val(k.evidence)} ${val(k.doneAt)}`.trim(),
              ]),
            },
          },
          {
            title: t('Changes linked (documents / DMR)', '关联变更(文件 / DMR)'),
            table: {
              widths: '2,4,2,4',
              head: [t('Type', '类型'), 'ID', t('Revision', '版本'), t('By', '操作人')],
              rows: c.links.map((l) => [l.type, l.id, l.revision, `${l.by} ${l.at}`]),
            },
          },
          {
            title: t('Verification (no adverse effect, 8.5.2 f)', '验证(无不利影响,8.5.2 f)'),
            fields: [
              { label: t('Safety', '安全'), value: c.verification?.safety ?? '' },
              { label: t('Compliance', '合规'), value: c.verification?.compliance ?? '' },
              {
                label: t('Verified by', '验证人'),
                value: c.verification ? `${c.verification.by} ${c.verification.at}` : '',
              },
            ],
          },
          {
            title: t('Closure and effectiveness', '关闭与有效性'),
            fields: [
              { label: t('Closed by', '关闭人'), value: c.closure ? `${c.closure.by} ${c.closure.at}` : '' },
              { label: t('Effectiveness check due', '有效性检查到期'), value: c.effectiveness?.due ?? '' },
              { label: t('Criteria', '准则'), value: c.effectiveness?.criteria ?? '' },
            ],
            table: {
              widths: '1,2,4,1,4,3',
              head: [
                t('Round', '轮次'),
                t('Due', '到期'),
                t('Criteria', '准则'),
                t('Result', '结果'),
                t('Evidence', '证据'),
                t('By', '签署人'),
              ],
              rows: c.checks.map((k) => [String(k.round), k.due, k.criteria, k.result, k.evidence, `${k.by} ${k.at}`]),
            },
          },
          {
            title: t('Extensions', '延期'),
            table: {
              widths: '2,2,5,3,3',
              head: [
                t('From', '原到期'),
                t('To', '新到期'),
                t('Reason', '原因'),
                t('Requested by', '申请人'),
                t('Approved by', '批准人'),
              ],
              rows: c.extensions.map((e) => [e.from, e.to, e.reason, e.requestedBy, `${e.by} ${e.at}`]),
            },
          },
        ],
      },
      progress,
    );
  },
};
