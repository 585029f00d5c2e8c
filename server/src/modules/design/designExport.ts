import { errors } from '../../platform/errors.ts';
import { hasPermission } from '../../identity/roles.ts';
import type { Locale } from '../../pdf/templates.ts';
import type { ExportKind } from '../../exports/kinds.ts';
import { bi, renderRecordPdf, tr, val } from '../../exports/recordExport.ts';
import type { ListExport } from '../../exports/lists.ts';
import { z } from 'zod';
import { Id } from '../../platform/schemas.ts';
import type { ElementKind } from './events.ts';
import { latestOf } from './elementRevisions.ts';
import { gapsOf, getProject, listElements, matrixOf } from './service.ts';
import type { MatrixElement, TraceMatrix } from './trace.ts';

// The design history file's index and the live trace matrix as sealed PDFs (export kinds
// 'design-dhf' and 'design-trace'; ISO 13485:2016 7.3.10: a design and development file per
// device, 7.3.2 f / 7.3.3: traceability of outputs to inputs), and the matrix as a workbook
// (GET /api/v1/lists/design-trace/export.xlsx?project=<id>). The index lists every element of the
// project with its current revision, its state and who approved which revision when.
const KIND: Record<ElementKind, readonly [string, string]> = {
  need: ['User need', '用户需求'],
  input: ['Design input', '设计输入'],
  output: ['Design output', '设计输出'],
  verification: ['Verification', '设计验证'],
  validation: ['Validation', '设计确认'],
  review: ['Design review', '设计评审'],
  transfer: ['Design transfer', '设计转换'],
};
const KIND_ORDER = Object.keys(KIND) as ElementKind[];
const STATE: Record<string, readonly [string, string]> = { draft: ['Draft', '草稿'], approved: ['Approved', '已批准'] };
const RESULT: Record<string, readonly [string, string]> = {
  pending: ['Pending', '待定'],
  pass: ['Pass', '通过'],
  fail: ['Fail', '不通过'],
};
const say = (t: ReturnType<typeof tr>, w: readonly [string, string]) => t(w[0], w[1]);

async function access(s: Parameters<ExportKind['access']>[0], user: Parameters<ExportKind['access']>[1], id: string) {
  if (!hasPermission(user, 'design.read')) throw errors.forbidden('export this design project');
  await getProject(s, id);
}

export const designDhfExport: ExportKind = {
  access,
  async build(s, user, id, opts, progress) {
    const p = await getProject(s, id);
    const { locale } = opts;
    const t = tr(locale);
    const els = (await listElements(s, id)).sort(
      (a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.code.localeCompare(b.code),
    );
    const gaps = await gapsOf(s, id);
    return renderRecordPdf(
      s,
      user,
      locale,
      {
        stream: `designproject:${p._id}`,
        heading: `${t('Design history file index', '设计历史文档索引')} · ${p.item.partNumber}`,
        subtitle: `${bi(locale, p.title)} · ISO 13485:2016 7.3.10`,
        reference: p.item.partNumber,
        filename: `${p.item.partNumber}-DHF-index.pdf`,
        sections: [
          {
            title: t('Project', '项目'),
            fields: [
              { label: t('Title', '标题'), value: bi(locale, p.title) },
              { label: t('Device', '器械'), value: `${p.item.partNumber} ${bi(locale, p.item.name)}` },
              { label: t('Design plan revision', '设计计划版本'), value: `${p.planRevision} · ${p.planState}` },
              { label: t('Elements', '要素数'), value: String(els.length) },
              { label: t('Open trace gaps', '未关闭的追溯缺口'), value: String(gaps.length) },
            ],
          },
          {
            title: t('Design plan stages (7.3.2)', '设计计划阶段(7.3.2)'),
            table: {
              widths: '2,5,4',
              head: [t('Stage', '阶段'), t('Name', '名称'), t('Responsible', '负责人')],
              rows: p.stages.map((st) => [st.key, bi(locale, st.name), st.responsible.name]),
            },
          },
          {
            title: t('Elements', '设计要素'),
            table: {
              widths: '3,2,6,1,2,4',
              head: [
                t('Kind', '类型'),
                t('Code', '编号'),
                t('Title', '标题'),
                t('Rev.', '版本'),
                t('State', '状态'),
                t('Approved (revision, by, at)', '批准(版本、批准人、时间)'),
              ],
              rows: els.map((e) => {
                const ok = e.approved ? e.revisions.find((r) => r.revision === e.approved) : null;
                return [
                  say(t, KIND[e.kind]),
                  e.code,
                  bi(locale, latestOf(e).content.title),
                  e.current,
                  say(t, STATE[e.state]),
                  ok?.approvedBy ? `${ok.revision} · ${ok.approvedBy.name} · ${val(ok.approvedAt)}` : '',
                ];
              }),
            },
          },
          {
            title: t('Open trace gaps', '未关闭的追溯缺口'),
            table: {
              widths: '4,2,3',
              head: [t('Gap', '缺口'), t('Element', '要素'), t('Kind', '类型')],
              rows: gaps.map((g) => [g.kind, g.element.code, say(t, KIND[g.element.kind])]),
            },
          },
        ],
      },
      progress,
    );
  },
};

/** The matrix as flat rows: need, input, output, verification (code · revision · state/result), suspect marks. */
export function matrixRows(m: TraceMatrix, locale: Locale) {
  const t = tr(locale);
  const cell = (n: number | null) => {
    if (n === null) return '';
    const e: MatrixElement = m.elements[n];
    const res = e.result ? ` · ${say(t, RESULT[e.result])}` : '';
    return `${e.code} ${e.revision}${res}`;
  };
  const title = (n: number | null) => (n === null ? '' : bi(locale, m.elements[n].title));
  const suspect = (l: number | null) => (l !== null && m.links[l].suspect ? t('suspect', '可疑') : '');
  return m.rows.map(([need, input, output, ver, il, ol, vl]) => ({
    need: cell(need),
    needTitle: title(need),
    input: cell(input),
    inputTitle: title(input),
    output: cell(output),
    verification: cell(ver),
    suspect: [suspect(il), suspect(ol), suspect(vl)].filter(Boolean).length ? t('Yes', '是') : '',
  }));
}

export const designTraceExport: ExportKind = {
  access,
  async build(s, user, id, opts, progress) {
    const p = await getProject(s, id);
    const { locale } = opts;
    const t = tr(locale);
    const m = await matrixOf(s, id);
    const rows = matrixRows(m, locale);
    return renderRecordPdf(
      s,
      user,
      locale,
      {
        stream: `designproject:${p._id}`,
        heading: `${t('Trace matrix', '追溯矩阵')} · ${p.item.partNumber}`,
        subtitle: `${bi(locale, p.title)} · ISO 13485:2016 7.3.2 f / 7.3.3–7.3.7`,
        reference: p.item.partNumber,
        filename: `${p.item.partNumber}-trace-matrix.pdf`,
        sections: [
          {
            title: t('Summary', '概要'),
            fields: [
              { label: t('Rows', '行数'), value: String(rows.length) },
              { label: t('Suspect links', '可疑链接'), value: String(m.suspect) },
            ],
          },
          {
            title: t('Need → input → output → verification', '需求 → 输入 → 输出 → 验证'),
            table: {
              widths: '2,2,4,2,2,1',
              head: [
                t('Need', '需求'),
                t('Input', '输入'),
                t('Input title', '输入标题'),
                t('Output', '输出'),
                t('Verification', '验证'),
                t('Suspect', '可疑'),
              ],
              rows: rows.map((r) => [r.need, r.input, r.inputTitle, r.output, r.verification, r.suspect]),
            },
          },
          {
            title: t('Validations of needs (7.3.7)', '需求的确认(7.3.7)'),
            table: {
              widths: '3,4,1',
              head: [t('Need', '需求'), t('Validation', '确认'), t('Suspect', '可疑')],
              rows: m.validations.map(([n, v, l]) => [
                `${m.elements[n].code}`,
                `${m.elements[v].code} ${m.elements[v].revision}${m.elements[v].result ? ` · ${say(t, RESULT[m.elements[v].result!])}` : ''}`,
                m.links[l].suspect ? t('Yes', '是') : '',
              ]),
            },
          },
        ],
      },
      progress,
    );
  },
};

export const DesignTraceListQuery = z.object({ project: Id }).strict();
type Row = { m: TraceMatrix; i: number };
const rowIn = (r: Row, l: Locale) => matrixRows({ ...r.m, rows: [r.m.rows[r.i]] }, l)[0];
/** The trace matrix as a workbook: GET /api/v1/lists/design-trace/export.xlsx?project=<id>, in the request's language. */
export const designTraceListExport: ListExport<Row, z.output<typeof DesignTraceListQuery>> = {
  permission: 'design.read',
  title: { en: 'Trace matrix', zh: '追溯矩阵' },
  query: DesignTraceListQuery,
  rows: async (s, _user, q) => {
    await getProject(s, q.project);
    const m = await matrixOf(s, q.project);
    return m.rows.map((_r, i) => ({ m, i }));
  },
  columns: [
    { key: 'need', header: { en: 'Need', zh: '需求' }, value: (r, l) => rowIn(r, l).need },
    { key: 'needTitle', header: { en: 'Need title', zh: '需求标题' }, value: (r, l) => rowIn(r, l).needTitle },
    { key: 'input', header: { en: 'Input', zh: '输入' }, value: (r, l) => rowIn(r, l).input },
    { key: 'inputTitle', header: { en: 'Input title', zh: '输入标题' }, value: (r, l) => rowIn(r, l).inputTitle },
    { key: 'output', header: { en: 'Output', zh: '输出' }, value: (r, l) => rowIn(r, l).output },
    { key: 'verification', header: { en: 'Verification', zh: '验证' }, value: (r, l) => rowIn(r, l).verification },
    { key: 'suspect', header: { en: 'Suspect link', zh: '可疑链接' }, value: (r, l) => rowIn(r, l).suspect },
  ],
};
