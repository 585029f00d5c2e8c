import { createHash, randomUUID } from 'node:crypto';
import type { Services } from '../platform/services.ts';
import type { SessionUser } from '../identity/sessionUser.ts';
import { domainError } from '../platform/errors.ts';
import type { Locale } from '../pdf/templates.ts';
import { exportEvents } from './events.ts';

// Export kinds register here, from the one list of contributions (modules/contributions.ts):
// 'audit-trail' (this folder), 'document' (documents), 'dhr' (production).
// access() is the HTTP route's permission check; build() makes the sealed PDF. buildExport() runs
// build() and puts the file's SHA-256 on the ledger; it does NOT check access, so that the
// auditor portal can call it for records its grant puts in scope.
/** The regulator's form a complaint's report is printed in (export kind 'complaint-report'). */
export const REPORT_FORMS = ['fda-3500a', 'eu-mir', 'nmpa'] as const;
export type ReportForm = (typeof REPORT_FORMS)[number];
export interface ExportOptions {
  locale: Locale;
  revision?: string;
  form?: ReportForm;
  jobId?: string;
}
export type Progress = (p: number, stage: string) => void;
export interface ExportResult {
  filename: string;
  pdf: Buffer;
  recordStream: string;
  recordVersion: number;
  headHash: string;
  pages: number;
}
export interface ExportKind {
  /** Throws (403/404) when `user` may not export record `id` of this kind. */
  access(s: Services, user: SessionUser, id: string, opts?: { revision?: string; form?: ReportForm }): Promise<void>;
  build(s: Services, user: SessionUser, id: string, opts: ExportOptions, progress: Progress): Promise<ExportResult>;
}

const kinds = new Map<string, ExportKind>();

export function registerExportKind(kind: string, def: ExportKind) {
  kinds.set(kind, def);
}
export function exportKinds(): string[] {
  return [...kinds.keys()];
}

export function exportKind(kind: string): ExportKind {
  const k = kinds.get(kind);
  if (!k)
    throw domainError('UNKNOWN_EXPORT_KIND', `There is no export of kind "${kind}".`, `没有"${kind}"类型的导出。`, 400);
  return k;
}

export interface GeneratedExport extends ExportResult {
  jobId: string;
  sha256: string;
}

export async function buildExport(
  s: Services,
  user: SessionUser,
  kind: string,
  id: string,
  opts: ExportOptions,
  progress: Progress = () => {},
): Promise<GeneratedExport> {
  const def = exportKind(kind);
  const jobId = opts.jobId ?? randomUUID();
  const result = await def.build(s, user, id, opts, progress);
  const sha256 = createHash('sha256').update(result.pdf).digest('hex');
  const generated = exportEvents.change('export.generated', {
    kind,
    recordStream: result.recordStream,
    recordVersion: result.recordVersion,
    headHash: result.headHash,
    sha256,
    pages: result.pages,
    filename: result.filename,
    locale: opts.locale,
  });
  // the actor is the request's (identity/authenticate.ts): an export job runs in its request's context
  await s.ledger.append(`export:${jobId}`, generated.type, generated.data, { expectedVersion: 0 });
  return { ...result, jobId, sha256 };
}

export const publicUrlOf = (s: Services) => s.config.PUBLIC_URL ?? `http://localhost:${s.config.PORT || 3000}`;
/** A file name safe in a Content-Disposition header. */
export const safeFilename = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120);
