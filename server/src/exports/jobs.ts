import { randomUUID } from 'node:crypto';
import { GridFSBucket, type Db } from 'mongodb';
import type { Services } from '../platform/services.ts';
import type { SessionUser } from '../identity/sessionUser.ts';
import { AppError, domainError } from '../platform/errors.ts';
import { holderOf } from '../platform/lease.ts';
import { buildExport, type ExportOptions } from './kinds.ts';

// Export jobs are stored in the database, so any server reports a job's progress and serves its
// file, and a restart loses none: the job in `export_jobs`, the finished PDF in GridFS (bucket
// `export_files`, the file's _id is the job's id). The server running a job beats its heartbeat;
// a running job whose heartbeat stopped (its server died or was restarted) is marked failed with
// EXPORT_INTERRUPTED when next read — it is not re-run: the user starts it again. Finished jobs are
// dropped after an hour; a file is only served to the user who started the job.
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
interface JobDoc extends Omit<ExportJob, 'id'> {
  _id: string;
  ownerId: string;
  server: string;
  heartbeatAt: Date;
  createdAt: Date;
  finishedAt: Date | null;
}
export const EXPORT_JOBS = 'export_jobs';
export const EXPORT_FILES_BUCKET = 'export_files';

const KEEP_MS = 60 * 60 * 1000;
const HEARTBEAT_MS = 5_000;
/** A running job not heard of for this long is taken as interrupted. */
export const STALE_MS = 30_000;
// Each job holds its PDF in memory while it is built and a share of the CPU: without bounds, one
// signed-in user posting exports in a loop could take the server down. A person runs a few exports
// at once (counted across servers); a server runs a bounded number; a finished file waits for its
// owner among their most recent ones only.
export const MAX_RUNNING_PER_USER = 3;
export const MAX_RUNNING = 8;
export const MAX_KEPT_PER_USER = 20;

// this server's jobs in flight, counted before any await so that concurrent requests cannot all pass
const local = new WeakMap<Services, Map<string, string>>();
function running(s: Services) {
  let r = local.get(s);
  if (!r) {
    r = new Map();
    local.set(s, r);
  }
  return r;
}
const jobs = (db: Db) => db.collection<JobDoc>(EXPORT_JOBS);
const bucket = (db: Db) => new GridFSBucket(db, { bucketName: EXPORT_FILES_BUCKET });
const view = (d: JobDoc): ExportJob => ({
  id: d._id,
  kind: d.kind,
  recordId: d.recordId,
  status: d.status,
  progress: d.progress,
  stage: d.stage,
  filename: d.filename,
  ...(d.error ? { error: d.error } : {}),
});

export async function startJob(
  s: Services,
  user: SessionUser,
  kind: string,
  recordId: string,
  opts: ExportOptions,
): Promise<ExportJob> {
  const id = randomUUID();
  await admit(s, user.id, id);
  const now = new Date();
  const doc: JobDoc = {
    _id: id,
    kind,
    recordId,
    status: 'running',
    progress: 0,
    stage: 'queued',
    filename: '',
    ownerId: user.id,
    server: holderOf(s),
    heartbeatAt: now,
    createdAt: now,
    finishedAt: null,
  };
  try {
    await jobs(s.db).insertOne(doc);
  } catch (err) {
    running(s).delete(id);
    throw err;
  }
  // runs after the 202 is sent; progress is polled with GET /exports/:jobId on any server
  setImmediate(() => void run(s, user, doc, opts));
  return view(doc);
}

async function run(s: Services, user: SessionUser, doc: JobDoc, opts: ExportOptions) {
  const id = doc._id;
  let progress = 0;
  let stage = 'queued';
  let written = 0;
  const save = () =>
    jobs(s.db)
      .updateOne({ _id: id, status: 'running' }, { $set: { progress, stage, heartbeatAt: new Date() } })
      .then(() => undefined)
      .catch((err) => s.logger.warn({ err, jobId: id }, 'export progress not saved'));
  const beat = setInterval(() => void save(), HEARTBEAT_MS);
  beat.unref();
  try {
    const done = await buildExport(s, user, doc.kind, doc.recordId, { ...opts, jobId: id }, (p, st) => {
      progress = Math.max(progress, Math.min(1, p));
      stage = st;
      // at most a few writes a second, whatever the export reports
      if (Date.now() - written > 250) {
        written = Date.now();
        void save();
      }
    });
    // the file first, then the state that points to it: a "done" job always has its file
    await new Promise<void>((resolve, reject) => {
      const up = bucket(s.db).openUploadStreamWithId(id as never, done.filename, {
        metadata: { ownerId: doc.ownerId },
      });
      up.once('finish', () => resolve());
      up.once('error', reject);
      up.end(done.pdf);
    });
    await jobs(s.db).updateOne(
      { _id: id },
      {
        $set: {
          status: 'done',
          progress: 1,
          stage: 'done',
          filename: done.filename,
          heartbeatAt: new Date(),
          finishedAt: new Date(),
        },
      },
    );
  } catch (err) {
    const code = err instanceof AppError ? err.code : 'INTERNAL';
    const message = err instanceof AppError ? err.localized('en-US') : 'The export failed.';
    if (!(err instanceof AppError)) s.logger.error({ err, jobId: id }, 'export failed');
    await jobs(s.db)
      .updateOne(
        { _id: id },
        { $set: { status: 'failed', stage: 'failed', error: { code, message }, finishedAt: new Date() } },
      )
      .catch((e) => s.logger.error({ err: e, jobId: id }, 'export failure not saved'));
  } finally {
    clearInterval(beat);
    running(s).delete(id);
  }
}

/** Refuses a job over the running limits (nothing started, nothing written); keeps only the owner's most recent finished files. */
async function admit(s: Services, ownerId: string, id: string) {
  const here = running(s);
  const tooMany = () =>
    domainError(
      'TOO_MANY_EXPORTS',
      `You already have ${MAX_RUNNING_PER_USER} exports running; wait for one to finish.`,
      `您已有 ${MAX_RUNNING_PER_USER} 个导出正在进行,请等待其中一个完成。`,
      429,
      { running: MAX_RUNNING_PER_USER },
    );
  const mineHere = () => [...here.values()].filter((o) => o === ownerId).length;
  if (mineHere() >= MAX_RUNNING_PER_USER) throw tooMany();
  if (here.size >= MAX_RUNNING) {
    throw domainError(
      'EXPORTS_BUSY',
      'The server is busy with other exports; try again in a moment.',
      '服务器正在处理其他导出,请稍后重试。',
      503,
    );
  }
  here.set(id, ownerId); // reserved before the first await
  try {
    const mine = await jobs(s.db)
      .find({ ownerId }, { projection: { _id: 1, status: 1, server: 1, heartbeatAt: 1, finishedAt: 1 } })
      .toArray();
    const stale = Date.now() - STALE_MS;
    // the owner's jobs running on other servers, beside the ones reserved here
    const elsewhere = mine.filter(
      (j) => j.status === 'running' && j.server !== holderOf(s) && j.heartbeatAt.getTime() > stale,
    ).length;
    if (mineHere() + elsewhere > MAX_RUNNING_PER_USER) throw tooMany();
    const old = Date.now() - KEEP_MS;
    const finished = mine.filter((j) => j.finishedAt).sort((a, b) => +a.finishedAt! - +b.finishedAt!);
    const drop = [
      ...finished.slice(0, Math.max(0, finished.length - MAX_KEPT_PER_USER + 1)),
      ...finished.filter((j) => +j.finishedAt! < old),
    ];
    for (const j of new Set(drop.map((d) => d._id))) await remove(s, j);
  } catch (err) {
    here.delete(id);
    throw err;
  }
}

async function remove(s: Services, id: string) {
  await jobs(s.db).deleteOne({ _id: id });
  await bucket(s.db)
    .delete(id as never)
    .catch(() => undefined); // a failed job has no file
}

/** The job, if it exists and belongs to `user` (someone else's job is reported as not found); an interrupted one is marked failed. */
export async function jobOf(s: Services, user: SessionUser, id: string): Promise<{ job: ExportJob } | null> {
  let d = await jobs(s.db).findOne({ _id: id });
  if (!d || d.ownerId !== user.id) return null;
  if (d.status === 'running' && d.heartbeatAt.getTime() < Date.now() - STALE_MS && !running(s).has(id)) {
    const error = {
      code: 'EXPORT_INTERRUPTED',
      message: 'The server running this export stopped before it finished; start the export again.',
    };
    d =
      (await jobs(s.db).findOneAndUpdate(
        { _id: id, status: 'running', heartbeatAt: d.heartbeatAt },
        { $set: { status: 'failed', stage: 'failed', error, finishedAt: new Date() } },
        { returnDocument: 'after' },
      )) ?? (await jobs(s.db).findOne({ _id: id }));
    if (!d) return null;
  }
  return { job: view(d) };
}

/** The finished job's PDF, read from the database (null if it is gone). */
export async function fileOf(s: Services, id: string): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  try {
    for await (const c of bucket(s.db).openDownloadStream(id as never)) chunks.push(c as Buffer);
  } catch {
    return null;
  }
  return Buffer.concat(chunks);
}
