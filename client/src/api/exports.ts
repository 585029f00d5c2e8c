import { request } from './request';
import type { LocaleCode } from './types';

// Sealed PDF exports run as jobs: POST starts one, GET polls it, /file downloads the result.
export type ExportKind =
  | 'dhr'
  | 'document'
  | 'audit-trail'
  | 'nc'
  | 'capa'
  | 'complaint'
  | 'complaint-report'
  | 'genealogy'
  | 'change'
  | 'risk-report'
  | 'design-dhf'
  | 'design-trace'
  | 'packing-list'
  | 'recall-notice'
  | 'recall-customers'
  | 'management-review'
  | 'audit-report';
/** The regulator's form of a 'complaint-report' export. */
export type ReportForm = 'fda-3500a' | 'eu-mir' | 'nmpa';
export interface ExportJob {
  id: string;
  kind: ExportKind;
  recordId: string;
  status: 'running' | 'done' | 'failed';
  progress: number;
  stage: string;
  filename: string;
  error?: { code: string; message: string };
}

export const exportsApi = {
  start: (kind: ExportKind, id: string, locale: LocaleCode, revision?: string, form?: ReportForm) =>
    request<ExportJob>('/exports', { method: 'POST', body: { kind, id, locale, revision, form } }),
  get: (jobId: string) => request<ExportJob>(`/exports/${encodeURIComponent(jobId)}`),
  fileUrl: (jobId: string) => `/api/v1/exports/${encodeURIComponent(jobId)}/file`,
};
