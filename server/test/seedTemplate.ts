import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer } from '../src/main.ts';
import { TEST_ENV } from './harness.ts';

// The demo company seeded once and kept: the API tests, the browser tests and Schemathesis each
// start from a copy of one template instead of seeding again (seeding signs hundreds of records,
// ~1 minute on CI). The template is named by a hash of everything that decides its content — the
// seed, the server, the signatures, the lockfile — and the UTC day (the demo's dates are relative
// to today), so a changed source or a new day seeds afresh and a stale template is never used.

const root = path.resolve(import.meta.dirname, '../..');
const TEMPLATES = path.join(root, '.tmp/seed-template');
const SOURCES = ['seed', 'server/src', 'server/test/harness.ts', 'signatures', 'package-lock.json'];

function hashTree(h: ReturnType<typeof createHash>, p: string) {
  const st = statSync(p, { throwIfNoEntry: false });
  if (!st) return;
  if (st.isDirectory()) {
    for (const name of readdirSync(p).sort()) hashTree(h, path.join(p, name));
    return;
  }
  h.update(path.relative(root, p)).update('\0').update(readFileSync(p)).update('\0');
}

function templateKey(): string {
  const h = createHash('sha256');
  for (const s of SOURCES) hashTree(h, path.join(root, s));
  h.update(new Date().toISOString().slice(0, 10));
  return h.digest('hex').slice(0, 16);
}

/** Whether `name` is another live process's seeding directory (`<key>.<pid>.partial`). */
function seedingElsewhere(name: string): boolean {
  const pid = /\.(\d+)\.partial$/.exec(name)?.[1];
  if (!pid) return false;
  try {
    process.kill(Number(pid), 0); // signal 0: only asks whether the process exists
    return true;
  } catch {
    return false;
  }
}

/** The data directory of a stopped server holding the seeded demo company (read-only: copy it). */
export async function seededTemplate(): Promise<string> {
  const dir = path.join(TEMPLATES, templateKey());
  if (existsSync(path.join(dir, '.ready'))) return dir;
  mkdirSync(TEMPLATES, { recursive: true });
  // seeded beside it, renamed into place only when complete: a run killed while seeding leaves
  // no template that looks ready
  const work = `${dir}.${process.pid}.partial`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const running = await startServer({ ...TEST_ENV(), DATA_DIR: work, PROVENANT_SEED: 'auto' }, { quiet: true });
  await running.stop();
  writeFileSync(path.join(work, '.ready'), new Date().toISOString());
  // older templates (other sources, other days) go; this one's seeding directory stays to be renamed,
  // and so does another run's seeding still in progress (two test runs side by side)
  for (const old of readdirSync(TEMPLATES))
    if (old !== path.basename(work) && !seedingElsewhere(old))
      rmSync(path.join(TEMPLATES, old), { recursive: true, force: true });
  renameSync(work, dir);
  return dir;
}
