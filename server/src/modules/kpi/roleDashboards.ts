import type { SessionUser } from '../../identity/sessionUser.ts';
import type { KpiId } from './schema.ts';

// A role's home page shows its dashboard beside its inbox (issue 13 item 7): the few KPIs that
// role is answerable for, in the order it reads them. ISO 13485:2016 5.6.2 (review inputs) and
// 8.4 (analysis of data) name who needs which: quality management the incident rate, CAPA ageing,
// audits and recalls (5.6.2 c, e, f, h); quality engineering incoming inspection and supplier
// performance (7.4.3, 8.4 d); production yield and scrap (8.4 c: process characteristics).
export const ROLE_DASHBOARDS: Record<string, readonly KpiId[]> = {
  administrator: ['incident_rate', 'capa_ageing', 'audit_pass_rate', 'trace_speed'],
  qa_manager: ['incident_rate', 'capa_ageing', 'audit_pass_rate', 'recall_timeliness'],
  qa_engineer: ['inspection_wait', 'supplier_scorecard', 'incident_rate', 'capa_ageing'],
  production_supervisor: ['first_pass_yield', 'scrap_rate', 'on_time_delivery', 'inventory_turnover'],
};

/** The KPIs of the user's home dashboard: their roles' lists merged in role order, each once. */
export function dashboardOf(user: Pick<SessionUser, 'roles'>): KpiId[] {
  const ids: KpiId[] = [];
  for (const role of user.roles) for (const id of ROLE_DASHBOARDS[role] ?? []) if (!ids.includes(id)) ids.push(id);
  return ids;
}
