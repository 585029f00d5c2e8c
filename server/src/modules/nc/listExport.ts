import { inLocale, type ListExport } from '../../exports/lists.ts';
import type { NcDoc } from './nc.record.ts';
import { NcListQuery, type NcFilter } from './schema.ts';
import { listNcs } from './service.ts';

// The NC register as a workbook (GET /api/v1/lists/nc/export.xlsx): the rows of GET /ncs with the same filters.
const STATUS = { open: { en: 'Open', zh: '处理中' }, closed: { en: 'Closed', zh: '已关闭' } };
const SOURCE: Record<string, { en: string; zh: string }> = {
  incoming_inspection: { en: 'Incoming inspection', zh: '来料检验' },
  production: { en: 'Production', zh: '生产' },
  complaint: { en: 'Complaint', zh: '投诉' },
  internal_audit: { en: 'Internal audit', zh: '内部审核' },
  supplier: { en: 'Supplier', zh: '供应商' },
  customer_return: { en: 'Customer return', zh: '客户退货' },
};

export const ncListExport: ListExport<NcDoc, NcFilter> = {
  permission: 'records.read',
  title: { en: 'Nonconformances', zh: '不合格品' },
  query: NcListQuery,
  rows: (s, _user, q) => listNcs(s, q),
  columns: [
    { key: 'number', header: { en: 'Number', zh: '编号' }, value: (n) => n.number },
    { key: 'status', header: { en: 'Status', zh: '状态' }, value: (n, l) => inLocale(STATUS[n.status], l) },
    {
      key: 'source',
      header: { en: 'Source', zh: '来源' },
      value: (n, l) => inLocale(SOURCE[n.source.kind], l) || n.source.kind,
    },
    { key: 'partNumber', header: { en: 'Part number', zh: '物料编码' }, value: (n) => n.item?.partNumber },
    { key: 'item', header: { en: 'Item', zh: '物料' }, value: (n, l) => inLocale(n.item?.name, l) },
    { key: 'lots', header: { en: 'Lots', zh: '批次' }, value: (n) => n.lots.map((x) => x.lotNumber).join(', ') },
    {
      key: 'quantity',
      header: { en: 'Affected quantity', zh: '涉及数量' },
      value: (n) => n.lots.reduce((a, x) => a + x.quantity, 0),
    },
    {
      key: 'undisposed',
      header: { en: 'Undisposed', zh: '未处置数量' },
      value: (n) => n.lots.reduce((a, x) => a + x.undisposed, 0),
    },
    { key: 'description', header: { en: 'Description', zh: '描述' }, value: (n) => n.description },
    { key: 'openedBy', header: { en: 'Opened by', zh: '发起人' }, value: (n) => n.openedBy },
    { key: 'openedAt', header: { en: 'Opened at (UTC)', zh: '发起时间 (UTC)' }, value: (n) => n.openedAt },
    { key: 'closedAt', header: { en: 'Closed at (UTC)', zh: '关闭时间 (UTC)' }, value: (n) => n.closure?.at ?? '' },
  ],
};
