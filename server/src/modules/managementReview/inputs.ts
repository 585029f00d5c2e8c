import type { Services } from '../../platform/services.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import { EVENTS } from '../../ledger/ledger.ts';
import { CAPAS } from '../capa/capa.record.ts';
import { COMPLAINTS } from '../complaints/complaint.record.ts';
import { NONCONFORMANCES } from '../nc/nc.record.ts';
import { INSPECTIONS } from '../inspection/inspection.record.ts';
import { REPORTABILITY } from '../reporting/reportability.record.ts';
import { RECALLS } from '../recall/recall.record.ts';
import { CHANGES } from '../changes/collections.ts';
import { AUDITS, type AuditDoc } from '../audits/audit.record.ts';
import type { ReviewInputData } from './events.ts';
import { MANAGEMENT_REVIEWS } from './collections.ts';

// The inputs of a management review, ISO 13485:2016 5.6.2 a)–l), assembled from the live records
// of the review period [from, to] (dates inclusive). Each figure says what it counts; the records
// are read by collection (the owning modules are not imported for their behaviour). The meeting
// freezes what this returns into the record (review.lifecycle.ts `record_meeting`).
type Bi = { en: string; zh: string };
const f = (en: string, zh: string, value: number) => ({ label: { en, zh }, value });
const input = (key: string, en: string, zh: string, figures: ReviewInputData['figures']): ReviewInputData => ({
  key,
  clause: `ISO 13485:2016 5.6.2 ${key})`,
  title: { en, zh } as Bi,
  figures,
});

/** The 12 inputs' headings, in the standard's order (the PDF and the client show them). */
export const INPUT_TITLES: Array<[string, string, string]> = [
  ['a', 'Feedback', '反馈'],
  ['b', 'Complaint handling', '投诉处置'],
  ['c', 'Reporting to regulatory authorities', '向监管机构报告'],
  ['d', 'Audits', '审核'],
  ['e', 'Monitoring and measurement of processes', '过程的监视和测量'],
  ['f', 'Monitoring and measurement of product', '产品的监视和测量'],
  ['g', 'Corrective action', '纠正措施'],
  ['h', 'Preventive action', '预防措施'],
  ['i', 'Follow-up actions from previous management reviews', '以往管理评审的跟踪措施'],
  ['j', 'Changes that could affect the quality management system', '可能影响质量管理体系的变更'],
  ['k', 'Recommendations for improvement', '改进的建议'],
  ['l', 'Applicable new or revised regulatory requirements', '适用的新的或修订的法规要求'],
];

const RUNNING_CAPA = ['evaluation', 'in_progress', 'effectiveness_check'];

export async function assembleInputs(
  s: Services,
  period: { from: string; to: string },
  exceptReview?: string,
): Promise<ReviewInputData[]> {
  const db = s.db;
  const today = todayUtc();
  // timestamps (`2026-12-01T…`) and dates (`2026-12-01`) both fall in [from, the day after `to`)
  const within = { $gte: period.from, $lt: addDays(period.to, 1) };
  const n = (coll: string, q: object) => db.collection(coll).countDocuments(q);

  const complaints = await n(COMPLAINTS, { receivedDate: within });
  const recalls = await n(RECALLS, { initiatedOn: within });
  const complaintsClosed = await n(COMPLAINTS, { receivedDate: within, status: 'closed' });
  const complaintsOpen = await n(COMPLAINTS, { status: { $ne: 'closed' } });
  const complaintsOverdue = await n(COMPLAINTS, { status: { $ne: 'closed' }, due: { $lt: today } });
  const reportsSubmitted = await n(REPORTABILITY, { 'submission.submittedOn': within });
  const reportsAwaiting = await n(REPORTABILITY, { status: 'reportable' });
  const audits = await db
    .collection<AuditDoc>(AUDITS)
    .find({ start: within }, { projection: { state: 1, passed: 1, findings: 1 } })
    .toArray();
  const findings = audits.flatMap((a) => a.findings);
  const grade = (g: string) => findings.filter((x) => x.grade === g).length;
  const ncs = await n(NONCONFORMANCES, { openedAt: within });
  const ncsOpen = await n(NONCONFORMANCES, { status: 'open' });
  const ncsIncoming = await n(NONCONFORMANCES, { openedAt: within, 'source.kind': 'incoming_inspection' });
  const inspections = await n(INSPECTIONS, { createdAt: within });
  const inspectionsFailed = await n(INSPECTIONS, { createdAt: within, result: 'fail' });
  const corrective = { createdAt: within, 'source.type': { $ne: 'trend' } };
  const capasOpened = await n(CAPAS, corrective);
  const capasRunning = await n(CAPAS, { state: { $in: RUNNING_CAPA }, 'source.type': { $ne: 'trend' } });
  const capasOverdue = await n(CAPAS, { state: { $in: ['evaluation', 'in_progress'] }, due: { $lt: today } });
  const capasClosed = await n(CAPAS, { ...corrective, state: 'closed' });
  const preventive = await n(CAPAS, { createdAt: within, 'source.type': 'trend' });
  const preventiveRunning = await n(CAPAS, { state: { $in: RUNNING_CAPA }, 'source.type': 'trend' });
  const earlier = await db
    .collection<{ _id: string; actions: Array<{ status: string; due: string }> }>(MANAGEMENT_REVIEWS)
    .find(
      { _id: { $ne: exceptReview ?? '' }, state: { $in: ['recorded', 'approved'] } },
      { projection: { actions: 1 } },
    )
    .toArray();
  const prevActions = earlier.flatMap((r) => r.actions);
  const changes = await n(CHANGES, { createdAt: within });
  const changesImplemented = await n(CHANGES, { createdAt: within, state: 'implemented' });
  const rulesRevised = await n(EVENTS, { stream: { $regex: '^reporting_rules:' }, at: within });

  const t = (k: string) => INPUT_TITLES.find((x) => x[0] === k)!;
  const mk = (k: string, figures: ReviewInputData['figures']) => input(k, t(k)[1], t(k)[2], figures);
  return [
    mk('a', [
      f('Complaints received', '收到的投诉', complaints),
      f('Recalls / field actions initiated', '发起的召回/现场措施', recalls),
    ]),
    mk('b', [
      f('Complaints received in the period', '期间收到的投诉', complaints),
      f('of which closed', '其中已关闭', complaintsClosed),
      f('Complaints open now', '当前未关闭的投诉', complaintsOpen),
      f('Complaints overdue now', '当前逾期的投诉', complaintsOverdue),
    ]),
    mk('c', [
      f('Reports submitted to regulators', '已向监管机构提交的报告', reportsSubmitted),
      f('Reportable, awaiting submission', '应报告、待提交', reportsAwaiting),
    ]),
    mk('d', [
      f('Audits in the period', '期间的审核', audits.length),
      f('Audits closed', '已关闭的审核', audits.filter((a) => a.state === 'closed').length),
      f('Audits passed (no major finding)', '通过的审核(无严重不符合)', audits.filter((a) => a.passed === true).length),
      f('Major findings', '严重不符合项', grade('major')),
      f('Minor findings', '一般不符合项', grade('minor')),
      f('Observations', '观察项', grade('observation')),
    ]),
    mk('e', [
      f('Nonconformances opened', '新开的不合格', ncs),
      f('Nonconformances open now', '当前未关闭的不合格', ncsOpen),
    ]),
    mk('f', [
      f('Incoming inspections', '进货检验', inspections),
      f('Inspections failed', '不合格的检验', inspectionsFailed),
      f('Nonconformances from incoming inspection', '来自进货检验的不合格', ncsIncoming),
    ]),
    mk('g', [
      f('CAPAs opened', '新开的 CAPA', capasOpened),
      f('of which closed', '其中已关闭', capasClosed),
      f('CAPAs running now', '当前进行中的 CAPA', capasRunning),
      f('CAPAs overdue now', '当前逾期的 CAPA', capasOverdue),
    ]),
    mk('h', [
      f('Preventive actions opened (from trends)', '新开的预防措施(来自趋势)', preventive),
      f('Preventive actions running now', '当前进行中的预防措施', preventiveRunning),
    ]),
    mk('i', [
      f('Actions from previous reviews', '以往评审的措施', prevActions.length),
      f('of which still open', '其中仍未完成', prevActions.filter((a) => a.status === 'open').length),
      f('of which overdue', '其中已逾期', prevActions.filter((a) => a.status === 'open' && a.due < today).length),
    ]),
    mk('j', [
      f('Change requests raised', '提出的变更申请', changes),
      f('of which implemented', '其中已实施', changesImplemented),
    ]),
    mk('k', [f('Audit observations (opportunities for improvement)', '审核观察项(改进机会)', grade('observation'))]),
    mk('l', [f('Revisions of the regulatory reporting rules', '法规报告规则的修订', rulesRevised)]),
  ];
}
