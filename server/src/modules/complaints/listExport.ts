import { todayUtc } from '../../platform/dates.ts';
import { inLocale, type ListExport } from '../../exports/lists.ts';
import type { ComplaintDoc } from './complaint.record.ts';
import { ComplaintQuery, type ComplaintFilter } from './schema.ts';
import { listComplaints } from './service.ts';

// The complaint register as a workbook (GET /api/v1/lists/complaints/export.xlsx): the rows of
// GET /complaints with the same filters. The complainant's address and phone stay out of the list
// (personal data: they are on the record, not in a file that travels).
const STATUS: Record<string, { en: string; zh: string }> = {
  open: { en: 'Open', zh: '处理中' },
  investigated: { en: 'Investigated', zh: '已调查' },
  closed: { en: 'Closed', zh: '已关闭' },
};
const YES = { en: 'Yes', zh: '是' };
const NO = { en: 'No', zh: '否' };

export const complaintListExport: ListExport<ComplaintDoc, ComplaintFilter> = {
  permission: 'records.read',
  title: { en: 'Complaints', zh: '投诉' },
  query: ComplaintQuery,
  rows: (s, _user, q) => listComplaints(s, q),
  columns: [
    { key: 'number', header: { en: 'Number', zh: '编号' }, value: (c) => c.number },
    { key: 'status', header: { en: 'Status', zh: '状态' }, value: (c, l) => inLocale(STATUS[c.status], l) || c.status },
    { key: 'partNumber', header: { en: 'Part number', zh: '物料编码' }, value: (c) => c.device.partNumber },
    { key: 'device', header: { en: 'Device', zh: '器械' }, value: (c, l) => inLocale(c.device.name, l) },
    { key: 'udiDi', header: { en: 'UDI-DI', zh: 'UDI-DI' }, value: (c) => c.udi.di ?? '' },
    { key: 'lot', header: { en: 'Lot', zh: '批号' }, value: (c) => c.udi.lot ?? '' },
    { key: 'serial', header: { en: 'Serial', zh: '序列号' }, value: (c) => c.udi.serial ?? '' },
    { key: 'receivedDate', header: { en: 'Received', zh: '接收日期' }, value: (c) => c.receivedDate },
    { key: 'awarenessDate', header: { en: 'Awareness date', zh: '获知日期' }, value: (c) => c.awarenessDate },
    { key: 'due', header: { en: 'Due', zh: '到期日' }, value: (c) => c.due },
    {
      key: 'overdue',
      header: { en: 'Overdue', zh: '已逾期' },
      value: (c, l) => inLocale(c.status !== 'closed' && c.due < todayUtc() ? YES : NO, l),
    },
    { key: 'country', header: { en: 'Country', zh: '国家/地区' }, value: (c) => c.country },
    { key: 'nature', header: { en: 'Nature of the complaint', zh: '投诉性质' }, value: (c) => c.nature },
    { key: 'recordedBy', header: { en: 'Recorded by', zh: '登记人' }, value: (c) => c.createdBy.name },
  ],
};
