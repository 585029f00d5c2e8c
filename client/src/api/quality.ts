import { request } from './request';

// The quality loop's links (resolved by the server on each record's GET) and QA's alerts.
export type LinkKind =
  | 'complaint'
  | 'nc'
  | 'capa'
  | 'lot'
  | 'workorder'
  | 'document'
  | 'dmr'
  | 'audit_finding'
  | 'trend'
  | 'management_review';
export interface LinkRef {
  kind: LinkKind;
  id: string;
  number: string;
  title: string | { zh: string; en: string } | null;
  state: string | null;
  revision?: string;
}
export interface ComplaintLoop {
  lot: LinkRef | null;
  dhr: LinkRef | null;
  ncs: LinkRef[];
  capas: LinkRef[];
  changes: LinkRef[];
}
export interface CapaLoop {
  sources: LinkRef[];
  changes: LinkRef[];
}
export interface NcLoop {
  complaint: LinkRef | null;
  capas: LinkRef[];
}

type Remaining = { daysRemaining: number; hoursRemaining: number };
export interface QualityAlerts {
  at: string;
  reports: Array<
    Remaining & {
      id: string;
      complaintId: string;
      jurisdiction: string;
      rule: { label: { zh: string; en: string }; citation: string } | null;
      dueAt: string;
      dueDate: string;
      level: 'overdue' | 'due_soon' | 'due';
    }
  >;
  overdueCapas: Array<Remaining & { id: string; number: string; title: string; owner: string; due: string }>;
  effectivenessChecks: Array<
    Remaining & { id: string; number: string; title: string; owner: string; due: string; criteria: string }
  >;
  extensionRequests: Array<
    Remaining & {
      id: string;
      number: string;
      title: string;
      owner: string;
      due: string;
      requested: { due: string; reason: string; by: string };
    }
  >;
  ncsAwaitingDisposition: Array<{
    id: string;
    number: string;
    item: { partNumber: string; name: { zh: string; en: string } };
    openedAt: string;
    undisposed: number;
    daysOpen: number;
  }>;
}

export const qualityApi = {
  alerts: () => request<QualityAlerts>('/quality/alerts'),
};

/** The client route of a linked record (null for a source that is not a record: an audit finding, a trend…). */
export function linkRoute(l: LinkRef): string | null {
  const id = encodeURIComponent(l.id);
  const base: Partial<Record<LinkKind, string>> = {
    complaint: '/complaints/',
    nc: '/ncs/',
    capa: '/capas/',
    lot: '/lots/',
    workorder: '/workorders/',
    document: '/documents/',
    dmr: '/dmrs/',
  };
  return base[l.kind] ? `${base[l.kind]}${id}` : null;
}
