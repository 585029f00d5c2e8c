import { request } from './request';
import type { LocaleCode } from './types';

// Sealed PDF exports run as jobs: POST starts one, GET polls it, /file downloads the result.
export type ExportKind = 'dhr' | 'document' | 'audit-trail';
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
  start: (kind: ExportKind, id: string, locale: LocaleCode, revision?: string) =>
    request<ExportJob>('/exports', { method: 'POST', body: { kind, id, locale, revision } }),
  get: (jobId: string) => request<ExportJob>(`/exports/${encodeURIComponent(jobId)}`),
  fileUrl: (jobId: string) => `/api/v1/exports/${encodeURIComponent(jobId)}/file`,
};
