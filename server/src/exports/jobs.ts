import { randomUUID } from 'node:crypto';
import type { Services } from '../platform/services.ts';
import type { SessionUser } from '../identity/sessionUser.ts';
import { AppError, domainError } from '../platform/errors.ts';
import { buildExport, type ExportOptions } from './kinds.ts';

// Export jobs live in memory on the server that runs them (a file is regenerated, not stored: the
// ledger keeps its SHA-256). Finished jobs are dropped after an hour; the file is only served to
// the user who started the job.
export interface ExportJob {
  id: string;
  kind: string;
  recordId: string;
  status: 'running' | 'done' | 'failed';
  progress: number;
  stage: string;
  filename: string;
  error?: { code: string; message: string };
}
interface JobEntry {
  job: ExportJob;
  ownerId: string;
  pdf: Buffer | null;
  finishedAt: number | null;
}

const KEEP_MS = 60 * 60 * 1000;
// Each job holds its PDF in memory and a share of the CPU: without bounds, one signed-in user
// posting exports in a loop could take the server down. A person runs a few exports at once;
// a finished file waits for its owner among their most recent ones only.
export const MAX_RUNNING_PER_USER = 3;
export const MAX_RUNNING = 8;
export const MAX_KEPT_PER_USER = 20;
const registries = new WeakMap<Services, Map<string, JobEntry>>();
function registry(s: Services) {
  let r = registries.get(s);
  if (!r) {
    r = new Map();
    registries.set(s, r);
  }
  return r;
}

function prune(r: Map<string, JobEntry>) {
  const now = Date.now();
  for (const [id, e] of r) if (e.finishedAt && now - e.finishedAt > KEEP_MS) r.delete(id);
}

export function startJob(
  s: Services,
  user: SessionUser,
  kind: string,
  recordId: string,
  opts: ExportOptions,
): ExportJob {
  const r = registry(s);
  prune(r);
  admit(r, user.id);
  const id = randomUUID();
  const entry: JobEntry = {
    job: { id, kind, recordId, status: 'running', progress: 0, stage: 'queued', filename: '' },
    ownerId: user.id,
    pdf: null,
    finishedAt: null,
  };
  r.set(id, entry);
  // runs after the 202 is sent; progress is polled with GET /exports/:jobId
  setImmediate(() => {
    buildExport(s, user, kind, recordId, { ...opts, jobId: id }, (p, stage) => {
      entry.job.progress = Math.max(entry.job.progress, Math.min(1, p));
      entry.job.stage = stage;
    })
      .then((done) => {
        entry.pdf = done.pdf;
        entry.job = { ...entry.job, status: 'done', progress: 1, stage: 'done', filename: done.filename };
      })
      .catch((err: unknown) => {
        const code = err instanceof AppError ? err.code : 'INTERNAL';
        const message = err instanceof AppError ? err.localized('en-US') : 'The export failed.';
        if (!(err instanceof AppError)) s.logger.error({ err, jobId: id }, 'export failed');
        entry.job = { ...entry.job, status: 'failed', stage: 'failed', error: { code, message } };
      })
      .finally(() => {
        entry.finishedAt = Date.now();
      });
  });
  return { ...entry.job };
}

/** Refuses a job over the running limits (nothing started, nothing written); keeps only the owner's most recent finished files. */
function admit(r: Map<string, JobEntry>, ownerId: string) {
  const all = [...r.values()];
  const mine = all.filter((e) => e.ownerId === ownerId);
  if (mine.filter((e) => !e.finishedAt).length >= MAX_RUNNING_PER_USER) {
    throw domainError(
      'TOO_MANY_EXPORTS',
      `You already have ${MAX_RUNNING_PER_USER} exports running; wait for one to finish.`,
      `您已有 ${MAX_RUNNING_PER_USER} 个导出正在进行,请等待其中一个完成。`,
      429,
      { running: MAX_RUNNING_PER_USER },
    );
  }
  if (all.filter((e) => !e.finishedAt).length >= MAX_RUNNING) {
    throw domainError(
      'EXPORTS_BUSY',
      'The server is busy with other exports; try again in a moment.',
      '服务器正在处理其他导出,请稍后重试。',
      503,
    );
  }
  const finished = mine.filter((e) => e.finishedAt).sort((a, b) => a.finishedAt! - b.finishedAt!);
  for (const e of finished.slice(0, Math.max(0, finished.length - MAX_KEPT_PER_USER + 1))) r.delete(e.job.id);
}

/** The job, if it exists and belongs to `user` (someone else's job is reported as not found). */
export function jobOf(s: Services, user: SessionUser, id: string): JobEntry | null {
  const e = registry(s).get(id);
  return e && e.ownerId === user.id ? e : null;
}
