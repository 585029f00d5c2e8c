import { errors } from '../../platform/errors.ts';
import { hasPermission } from '../../identity/roles.ts';
import type { ExportKind } from '../../exports/kinds.ts';
import { bi, renderRecordPdf, tr, val } from '../../exports/recordExport.ts';
import { CONTROL_KINDS } from './events.ts';
import { quantitative, view, type Zone } from './policy.ts';
import { approvedPlan } from './queries.ts';
import { fmeaZone, residualOf } from './riskfile.lifecycle.ts';
import { getFile } from './service.ts';

// The risk management report of a device's risk file as a sealed PDF (export kind 'risk-report';
// ISO 14971:2019 clause 8 overall residual risk, clause 9 risk management review): the approved
// plan's acceptability matrix (4.4 d), the hazard rows with initial and residual zones judged on
// that plan now (5.5, 6, 7.3) and their controls in the 7.1 order of priority with verification
// (7.2), benefit-risk (7.4), the process FMEA with RPN shown and zone from the matrix, the
// overall evaluation, then the approval signatures (21 CFR 11.50) and the history.
export const riskReportExport: ExportKind = {
  async access(s, user, id) {
    if (!hasPermission(user, 'risk.read')) throw errors.forbidden('export this risk management report');
    await getFile(s, id);
  },
  async build(s, user, id, opts, progress) {
    const f = await getFile(s, id);
    const plan = await approvedPlan(s, f.itemId);
    const p = plan?.content ?? null;
    const { locale } = opts;
    const t = tr(locale);
    const zoneLabel = (z: Zone | null | undefined) =>
      z
        ? {
            acceptable: t('Acceptable', '可接受'),
            afap: t('Reduce as far as possible', '尽可能降低'),
            unacceptable: t('Unacceptable', '不可接受'),
          }[z]
        : '';
    const kindLabel = (k: string) =>
      ({
        inherent_safety: t('Inherent safety by design', '固有安全设计'),
        protective_measure: t('Protective measure', '防护措施'),
        information_for_safety: t('Information for safety', '安全信息'),
      })[k] ?? k;
    const kindOrder = (k: string) => CONTROL_KINDS.indexOf(k as (typeof CONTROL_KINDS)[number]);
    const level = (names: Array<{ name: { zh: string; en: string } }> | undefined, n: number | null | undefined) =>
      n ? `${n} ${bi(locale, names?.[n - 1]?.name)}`.trim() : '';
    const estimate = (e: ReturnType<typeof view>) =>
      e
        ? [
            `S ${level(p?.severity, e.severity)}`,
            `P ${level(p?.probability, e.probability)}${e.combined !== null ? ` (${e.combined.toExponential(1)})` : ''}`,
            zoneLabel(e.zone),
          ].join(' · ')
        : '';
    const matrixCols = p ? p.probability.length : 0;
    const yesNo = (b: boolean) => (b ? t('Yes', '是') : t('No', '否'));
    return renderRecordPdf(
      s,
      user,
      locale,
      {
        stream: `riskfile:${f._id}`,
        heading: `${t('Risk management report', '风险管理报告')} ${f.item.partNumber}`,
        subtitle: `${bi(locale, f.item.name)} · ISO 14971:2019 8 / 9`,
        reference: `${f.item.partNumber} RMR`,
        filename: `${f.item.partNumber}-risk-management-report.pdf`,
        notes: p
          ? []
          : [
              t(
                'The device has no approved risk management plan: no zone is judged.',
                '该器械尚无已批准的风险管理计划:未判定区域。',
              ),
            ],
        sections: [
          {
            title: t('Risk management file', '风险管理文档'),
            fields: [
              { label: t('Device', '器械'), value: `${f.item.partNumber} ${bi(locale, f.item.name)}` },
              {
                label: t('Status', '状态'),
                value: f.status === 'approved' ? t('Approved', '已批准') : t('Draft', '草稿'),
              },
              { label: t('Author', '编制人'), value: f.author.name },
              { label: t('Plan revision', '计划版本'), value: val(plan?.revision) },
              { label: t('Scope', '范围'), value: p?.scope ?? '' },
              { label: t('Life-cycle phases', '生命周期阶段'), value: val(p?.lifecyclePhases) },
              { label: t('Responsibilities', '职责'), value: p?.responsibilities ?? '' },
            ],
          },
          {
            title: t('Probability scale', '概率等级'),
            table: {
              widths: '1,4,4',
              head: [t('Level', '等级'), t('Name', '名称'), t('Band (P1 × P2)', '区间(P1 × P2)')],
              rows: (p?.probability ?? []).map((l, i) => [
                String(i + 1),
                bi(locale, l.name),
                l.band ? `[${l.band.min.toExponential(0)}, ${l.band.max.toExponential(0)})` : '',
              ]),
            },
          },
          {
            title: t('Severity scale', '严重度等级'),
            table: {
              widths: '1,4,6',
              head: [t('Level', '等级'), t('Name', '名称'), t('Definition', '定义')],
              rows: (p?.severity ?? []).map((l, i) => [String(i + 1), bi(locale, l.name), bi(locale, l.definition)]),
            },
          },
          {
            title: t('Acceptability matrix (ISO 14971:2019 4.4 d)', '可接受性矩阵(ISO 14971:2019 4.4 d)'),
            note: p
              ? quantitative(p)
                ? t('Probability of harm P = P1 × P2 placed in the band.', '伤害概率 P = P1 × P2,落入对应区间。')
                : t('Qualitative probability levels.', '定性概率等级。')
              : undefined,
            table: {
              widths: ['3', ...Array(matrixCols).fill('2')].join(','),
              head: [
                t('Severity \\ probability', '严重度 \\ 概率'),
                ...(p?.probability ?? []).map((l, i) => `${i + 1} ${bi(locale, l.name)}`),
              ],
              rows: p
                ? p.severity
                    .map((l, si) => [`${si + 1} ${bi(locale, l.name)}`, ...p.zones[si].cells.map((z) => zoneLabel(z))])
                    .reverse()
                : [],
            },
          },
          {
            title: t('Hazard analysis and risk evaluation', '危险分析与风险评价'),
            table: {
              widths: '1,3,3,3,3,3,3',
              head: [
                'ID',
                t('Hazard', '危险'),
                t('Sequence of events', '事件序列'),
                t('Hazardous situation', '危险情况'),
                t('Harm', '伤害'),
                t('Initial risk', '初始风险'),
                t('Residual risk', '剩余风险'),
              ],
              rows: f.rows.map((r) => [
                r.id,
                r.hazard,
                r.sequence,
                r.situation,
                r.harm,
                estimate(view(p, r.initial)),
                estimate(view(p, residualOf(r))),
              ]),
            },
          },
          {
            title: t('Risk controls (ISO 14971:2019 7.1, 7.2)', '风险控制措施(ISO 14971:2019 7.1、7.2)'),
            table: {
              widths: '1,3,4,2,3,3',
              head: [
                t('Row', '条目'),
                t('Option', '方案'),
                t('Control', '控制措施'),
                t('Design input', '设计输入'),
                t('Implementation verified', '实施验证'),
                t('Effectiveness verified', '有效性验证'),
              ],
              rows: f.rows.flatMap((r) =>
                [...r.controls]
                  .sort((a, b) => kindOrder(a.kind) - kindOrder(b.kind))
                  .map((c) => [
                    r.id,
                    kindLabel(c.kind),
                    c.description,
                    val(c.designInputId),
                    val(c.implementation),
                    val(c.effectiveness),
                  ]),
              ),
            },
          },
          {
            title: t('Benefit-risk analysis (ISO 14971:2019 7.4)', '受益-风险分析(ISO 14971:2019 7.4)'),
            table: {
              widths: '1,3,8',
              head: [t('Row', '条目'), t('Residual risk', '剩余风险'), t('Analysis', '分析')],
              rows: f.rows
                .filter((r) => r.benefitRisk)
                .map((r) => [r.id, zoneLabel(view(p, residualOf(r))?.zone), val(r.benefitRisk)]),
            },
          },
          {
            title: t('Process FMEA', '过程 FMEA'),
            note: t(
              'RPN = S × O × D is shown; acceptability is the plan matrix cell severity × occurrence.',
              '显示 RPN = S × O × D;可接受性按计划矩阵的 严重度 × 发生度 单元格判定。',
            ),
            table: {
              widths: '1,3,3,3,3,1,1,1,1,3,3',
              head: [
                'ID',
                t('Step', '工序'),
                t('Failure mode', '失效模式'),
                t('Effect', '影响'),
                t('Cause', '原因'),
                'S',
                'O',
                'D',
                'RPN',
                t('Zone', '区域'),
                t('Controls', '控制措施'),
              ],
              rows: f.fmea.map((r) => [
                r.id,
                `${r.seq} ${bi(locale, r.step)}`,
                r.failureMode,
                r.effect,
                r.cause,
                String(r.severity),
                String(r.occurrence),
                String(r.detection),
                String(r.severity * r.occurrence * r.detection),
                p ? zoneLabel(fmeaZone(p, r)) : '',
                r.controls,
              ]),
            },
          },
          {
            title: t(
              'Overall residual risk and review (ISO 14971:2019 8, 9)',
              '综合剩余风险评价与评审(ISO 14971:2019 8、9)',
            ),
            fields: [
              { label: t('Overall residual risk', '综合剩余风险'), value: f.evaluation?.overallResidualRisk ?? '' },
              {
                label: t('Overall residual risk acceptable', '综合剩余风险可接受'),
                value: f.evaluation ? yesNo(f.evaluation.overallAcceptable) : '',
              },
              { label: t('Review', '评审'), value: f.evaluation?.review ?? '' },
              {
                label: t('Evaluated on plan revision', '评价所依据的计划版本'),
                value: val(f.evaluation?.planRevision),
              },
              {
                label: t('Approved by', '批准人'),
                value: f.approval ? `${f.approval.by.name} ${f.approval.at}` : '',
              },
            ],
          },
        ],
      },
      progress,
    );
  },
};
