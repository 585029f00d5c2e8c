import { apiUrl, request } from './request';

// The validation package from the admin page (issue 14 item 1; ISO 13485:2016 4.1.6, 21 CFR
// 11.10(a)): IQ and the traceability matrix (last API test report) with the PQ templates, sealed.
export interface ValidationCheck {
  name: string;
  ok: boolean;
  detail: string;
}
export interface ValidationGap {
  id: string;
  source: string;
  clause: string;
  text: string;
  feature: string;
  gap: string | null;
}
export interface ValidationSummary {
  id: string;
  stream: string;
  sha256: string;
  pages: number;
  locale: string;
  generatedAt: string;
  iq: {
    product: string;
    version: string;
    commit: string | null;
    node: string;
    platform: string;
    engine: { kind: string; version: string; detail: string };
    ok: boolean;
    checks: ValidationCheck[];
    files: { checked: number; ok: boolean; findings: Array<{ file: string; status: string }> } | { error: string };
  };
  matrix: {
    report: {
      path: string;
      found: boolean;
      error?: string;
      startedAt: string | null;
      total: number;
      passed: number;
      failed: number;
    };
    requirements: number;
    covered: number;
    gaps: number;
    gapList: ValidationGap[];
  };
  oq: null;
}
export interface ValidationPackageRow {
  id: string;
  stream: string;
  generatedAt: string;
  generatedBy: { id: string; name: string };
  sha256: string;
  pages: number;
  locale: string;
  file: boolean;
  iqOk: boolean | null;
  requirements: number | null;
  gaps: number | null;
}

export const validationApi = {
  generate: (locale: 'zh-CN' | 'en-US') =>
    request<ValidationSummary>('/validation/packages', { method: 'POST', body: { locale } }),
  list: () => request<ValidationPackageRow[]>('/validation/packages'),
  fileUrl: (id: string) => apiUrl(`/validation/packages/${id}/file`),
};
