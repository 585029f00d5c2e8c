import { inLocale, type ListExport } from '../../exports/lists.ts';
import type { CapaDoc } from './capa.record.ts';
import { CapaQuery } from './schema.ts';
import { isOverdue, listCapas } from './service.ts';
import type { z } from 'zod';

// The CAPA register as a workbook (GET /api/v1/lists/capa/export.xlsx): the rows of GET /capas with the same filters.
const STATE: Record<string, { en: string; zh: string }> = {
  evaluation: { en: 'Evaluation', zh: '评估中' },
  in_progress: { en: 'In progress', zh: '进行中' },
  effectiveness_check: { en: 'Effectiveness check', zh: '有效性验证' },
  closed: { en: 'Closed', zh: '已关闭' },
  no_capa: { en: 'No CAPA', zh: '不立项' },
};
const SOURCE: Record<string, { en: string; zh: string }> = {
  nc: { en: 'Nonconformance', zh: '不合格品' },
  complaint: { en: 'Complaint', zh: '投诉' },
  audit_finding: { en: 'Audit finding', zh: '审核发现' },
  trend: { en: 'Trend', zh: '趋势' },
  management_review: { en: 'Management review', zh: '管理评审' },
};
const YES = { en: 'Yes', zh: '是' };
const NO = { en: 'No', zh: '否' };

export const capaListExport: ListExport<CapaDoc, z.output<typeof CapaQuery>> = {
  permission: 'records.read',
  title: { en: 'CAPAs', zh: '纠正和预防措施' },
  query: CapaQuery,
  rows: (s, _user, q) => listCapas(s, q),
  columns: [
    { key: 'number', header: { en: 'Number', zh: '编号' }, value: (c) => c.number },
    { key: 'title', header: { en: 'Title', zh: '标题' }, value: (c) => c.title },
    { key: 'state', header: { en: 'State', zh: '状态' }, value: (c, l) => inLocale(STATE[c.state], l) || c.state },
    {
      key: 'source',
      header: { en: 'Source', zh: '来源' },
      value: (c, l) => inLocale(SOURCE[c.source.type], l) || c.source.type,
    },
    { key: 'owner', header: { en: 'Owner', zh: '负责人' }, value: (c) => c.owner.name },
    { key: 'due', header: { en: 'Due', zh: '到期日' }, value: (c) => c.due },
    { key: 'overdue', header: { en: 'Overdue', zh: '已逾期' }, value: (c, l) => inLocale(isOverdue(c) ? YES : NO, l) },
    {
      key: 'openActions',
      header: { en: 'Open actions', zh: '未完成措施' },
      value: (c) => c.tasks.filter((t) => t.status === 'open').length,
    },
    { key: 'rootCause', header: { en: 'Root cause', zh: '根本原因' }, value: (c) => c.investigation?.rootCause ?? '' },
    { key: 'createdAt', header: { en: 'Created at (UTC)', zh: '创建时间 (UTC)' }, value: (c) => c.createdAt },
    { key: 'closedAt', header: { en: 'Closed at (UTC)', zh: '关闭时间 (UTC)' }, value: (c) => c.closure?.at ?? '' },
  ],
};
