import nodemailer, { type Transporter } from 'nodemailer';
import type { Services } from '../../platform/services.ts';
import type { NotificationState } from './notification.record.ts';

// The e-mail channel: one SMTP transport from the configuration (none configured: the channel is
// off, notifications stay in the app) and the bilingual templates, in the addressee's language.
type Locale = 'zh-CN' | 'en-US';
const transports = new WeakMap<Services, Transporter>();

export const emailEnabled = (s: Services) => Boolean(s.config.SMTP_HOST);

export function transportOf(s: Services): Transporter | null {
  const c = s.config;
  if (!c.SMTP_HOST) return null;
  let t = transports.get(s);
  if (!t) {
    t = nodemailer.createTransport({
      host: c.SMTP_HOST,
      port: c.SMTP_PORT,
      secure: c.SMTP_SECURE,
      ...(c.SMTP_USER ? { auth: { user: c.SMTP_USER, pass: c.SMTP_PASSWORD ?? '' } } : {}),
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    transports.set(s, t);
  }
  return t;
}

/** A failure as the ledger keeps it: short, and never the SMTP credentials. */
export function failureText(s: Services, err: unknown): string {
  let text = err instanceof Error ? err.message : String(err);
  for (const secret of [s.config.SMTP_PASSWORD, s.config.SMTP_USER]) if (secret) text = text.split(secret).join('***');
  return text.slice(0, 300);
}

/** Task kinds as people name them (a kind not listed reads as "task"). */
const KIND_NAMES: Record<string, { en: string; zh: string }> = {
  review: { en: 'Review', zh: '审核' },
  approval: { en: 'Approval', zh: '批准' },
  periodic_review: { en: 'Periodic review', zh: '定期评审' },
  training: { en: 'Training', zh: '培训' },
  wo_release: { en: 'Work order release', zh: '工单下达' },
  wo_step: { en: 'Work order step', zh: '工序' },
  wo_verify: { en: 'Step verification', zh: '工序复核' },
  deviation: { en: 'Deviation', zh: '偏差' },
  dhr_release: { en: 'DHR release', zh: '器械历史记录放行' },
  calibration: { en: 'Calibration', zh: '校准' },
  maintenance: { en: 'Maintenance', zh: '维护' },
  repair: { en: 'Repair', zh: '维修' },
  report: { en: 'Regulatory report', zh: '法规报告' },
  capa_action: { en: 'CAPA action', zh: 'CAPA 措施' },
  capa_effectiveness: { en: 'CAPA effectiveness check', zh: 'CAPA 有效性验证' },
  po_approval: { en: 'PO approval', zh: '采购订单批准' },
  po_receipt: { en: 'Receipt', zh: '收货' },
  inspection: { en: 'Inspection', zh: '检验' },
  inspection_disposition: { en: 'Inspection disposition', zh: '检验处置' },
  nc_disposition: { en: 'NC disposition', zh: '不合格处置' },
  nc_close: { en: 'NC closure', zh: '不合格关闭' },
  complaint_investigation: { en: 'Complaint investigation', zh: '投诉调查' },
  complaint_close: { en: 'Complaint closure', zh: '投诉关闭' },
  change_submission: { en: 'Change request to submit', zh: '待提交的变更申请' },
  change_approval: { en: 'Change approval', zh: '变更批准' },
  change_work_order_decision: { en: 'Work-order decision for a change', zh: '变更的工单处置' },
  change_implementation: { en: 'Change implementation', zh: '变更实施' },
  change_effectiveness_check: { en: 'Change effectiveness check', zh: '变更有效性检查' },
  return_inspection: { en: 'Return inspection', zh: '退货检查' },
  return_decision: { en: 'Return decision', zh: '退货处置' },
  recall_approval: { en: 'Recall approval', zh: '召回批准' },
  recall_notification: { en: 'Recall notification', zh: '召回通知' },
  recall_report: { en: 'Recall report to the authority', zh: '召回报告' },
  recall_close: { en: 'Recall closure', zh: '召回关闭' },
  sales_order_confirmation: { en: 'Sales order confirmation', zh: '销售订单确认' },
  sales_order_allocation: { en: 'Sales order allocation', zh: '销售订单分配' },
  sales_order_shipment: { en: 'Shipment', zh: '发货' },
  sales_order_delivery: { en: 'Delivery confirmation', zh: '签收确认' },
};
export const kindName = (kind: string, locale: Locale) => {
  const k = KIND_NAMES[kind] ?? { en: 'Task', zh: '任务' };
  return locale === 'zh-CN' ? k.zh : k.en;
};

const line = (n: NotificationState, locale: Locale) => {
  const title = locale === 'zh-CN' ? n.title.zh || n.title.en : n.title.en || n.title.zh;
  const due = n.due ? (locale === 'zh-CN' ? `,截止 ${n.due}` : `, due ${n.due}`) : '';
  return `${kindName(n.kind, locale)}: ${n.number}${n.revision ? ` rev ${n.revision}` : ''} ${title}${due}`;
};

export interface Mail {
  subject: string;
  text: string;
}

const footer = (s: Services, locale: Locale) => {
  const where = s.config.PUBLIC_URL ? `\n${s.config.PUBLIC_URL}\n` : '\n';
  return locale === 'zh-CN'
    ? `\n请在 Provenant 的“我的任务”中处理。${where}\n您可以在个人资料页更改通知设置(立即 / 每日汇总 / 关闭)。`
    : `\nOpen it under "My tasks" in Provenant.${where}\nChange how you are notified (immediately / daily digest / off) on your profile page.`;
};

/** One new task, in the addressee's language. */
export function singleMail(s: Services, n: NotificationState, locale: Locale): Mail {
  const title = locale === 'zh-CN' ? n.title.zh || n.title.en : n.title.en || n.title.zh;
  const subject =
    locale === 'zh-CN'
      ? `[Provenant] 新任务 — ${kindName(n.kind, locale)}:${n.number} ${title}`
      : `[Provenant] New task — ${kindName(n.kind, locale)}: ${n.number} ${title}`;
  const hello =
    locale === 'zh-CN'
      ? `${n.userName},您好:\n\n您有一项新任务:\n`
      : `Hello ${n.userName},\n\nA new task waits for you:\n`;
  return { subject, text: `${hello}${line(n, locale)}\n${footer(s, locale)}` };
}

/** Several pending tasks in one daily digest. */
export function digestMail(s: Services, list: NotificationState[], locale: Locale): Mail {
  const name = list[0]?.userName ?? '';
  const subject =
    locale === 'zh-CN'
      ? `[Provenant] 每日汇总:${list.length} 项新任务`
      : `[Provenant] Daily digest: ${list.length} new tasks`;
  const hello =
    locale === 'zh-CN'
      ? `${name},您好:\n\n自上次汇总以来的新任务:\n`
      : `Hello ${name},\n\nNew tasks since the last digest:\n`;
  return { subject, text: `${hello}${list.map((n) => `- ${line(n, locale)}`).join('\n')}\n${footer(s, locale)}` };
}
