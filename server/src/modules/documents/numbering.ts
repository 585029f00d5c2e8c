import type { Services } from '../../platform/services.ts';
import { currentActor, type Actor } from '../../platform/context.ts';
import { AppError, errors } from '../../platform/errors.ts';
import { defineRecordType, streamOf } from '../../records/registry.ts';
import { isRace } from '../../records/ledgerOps.ts';
import { DOCUMENT_TYPES, type DocumentType } from './document.record.ts';
import { now as clockNow } from '../../platform/clock.ts';

// Document numbers are allocated from a counter per (type, department): each allocation is the
// next event on the counter's ledger stream, so the unique (stream, version) index makes it
// atomic and the sequence never goes back. The number is then claimed on its own stream
// (`docnumber:<number>`, version 1) so that a pattern change can never hand out a number twice.
export const DEFAULT_PATTERNS: Record<DocumentType, string> = {
  policy: 'POL-{seq:3}',
  sop: 'SOP-{dept}-{seq:4}',
  work_instruction: 'WI-{dept}-{seq:4}',
  form: 'FRM-{dept}-{seq:4}',
  specification: 'SPEC-{dept}-{seq:4}',
  drawing: 'DWG-{seq:5}',
  template: 'TPL-{seq:3}',
};

export const PATTERN_RE = /^(?:[A-Za-z0-9._-]|\{dept\}|\{yyyy\}|\{seq:[1-8]\})+$/;
export const patternProblem = (p: string): { en: string; zh: string } | null =>
  !PATTERN_RE.test(p)
    ? {
        en: 'letters, digits, . _ - and the tokens {dept}, {yyyy}, {seq:N} only',
        zh: '只能使用字母、数字、. _ - 以及 {dept}、{yyyy}、{seq:N}',
      }
    : (p.match(/\{seq:[1-8]\}/g) ?? []).length !== 1
      ? { en: 'exactly one {seq:N} (N from 1 to 8)', zh: '须恰好包含一个 {seq:N}(N 为 1 到 8)' }
      : null;

interface SchemeState {
  type: string;
  pattern: string;
  changedAt: string;
  changedBy: string;
}
export const schemeRecord = defineRecordType<SchemeState>({
  type: 'numbering_scheme',
  collection: 'numbering_schemes',
  reduce: (_s, e) => ({
    type: e.stream.slice('numbering_scheme:'.length),
    pattern: (e.data as { pattern: string }).pattern,
    changedAt: e.at,
    changedBy: e.actor.name,
  }),
  content: (s) => ({ type: s.type, pattern: s.pattern }),
});

export async function patternFor(s: Services, type: DocumentType): Promise<string> {
  const doc = await s.db.collection<SchemeState>(schemeRecord.collection).findOne({ _id: type as never });
  return doc?.pattern ?? DEFAULT_PATTERNS[type];
}

export async function setPattern(s: Services, type: DocumentType, pattern: string) {
  const problem = patternProblem(pattern);
  if (problem) throw errors.validation('body.pattern', problem);
  if ((await patternFor(s, type)) === pattern) return;
  await s.ledger.appendWithRetry(streamOf('numbering_scheme', type), 'numbering.patternChanged', { pattern });
}

const counterStream = (type: string, pattern: string, dept: string) =>
  `numbering:${type}${pattern.includes('{dept}') ? `.${dept}` : ''}`;

export function render(pattern: string, seq: number, dept: string, year = clockNow().getUTCFullYear()): string {
  return pattern
    .replace('{dept}', dept)
    .replace('{yyyy}', String(year))
    .replace(/\{seq:(\d)\}/, (_, n: string) => String(seq).padStart(Number(n), '0'));
}

// Allocations of one counter queue up inside this process (no self-inflicted races); the ledger's
// unique index still settles races between processes, which retry.
const queues = new Map<string, Promise<unknown>>();
function serialized<T>(key: string, f: () => Promise<T>): Promise<T> {
  const run = (queues.get(key) ?? Promise.resolve()).catch(() => undefined).then(f);
  queues.set(key, run);
  void run
    .finally(() => {
      if (queues.get(key) === run) queues.delete(key);
    })
    .catch(() => undefined);
  return run;
}

/** Allocates the next number for `type` in `dept`; concurrent callers each get their own. */
export async function allocateNumber(s: Services, type: DocumentType, dept: string): Promise<string> {
  const actor = currentActor(); // the queue below may run this allocation after the caller's turn: keep who asked for it
  const pattern = await patternFor(s, type);
  const stream = counterStream(type, pattern, dept);
  return serialized(stream, () => allocateFrom(s, type, pattern, stream, dept, actor));
}

async function allocateFrom(
  s: Services,
  type: DocumentType,
  pattern: string,
  stream: string,
  dept: string,
  actor: Actor,
): Promise<string> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const seq = ((await s.ledger.head(stream))?.version ?? 0) + 1;
    const number = render(pattern, seq, dept);
    try {
      await s.ledger.append(stream, 'numbering.allocated', { number }, { expectedVersion: seq - 1, actor });
    } catch (err) {
      if (!isRace(err)) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * Math.min(attempt + 1, 10)));
      continue;
    }
    try {
      await s.ledger.append(`docnumber:${number}`, 'numbering.claimed', { type }, { expectedVersion: 0, actor });
      return number;
    } catch (err) {
      if (!isRace(err)) throw err; // taken under an earlier pattern: that sequence is burnt, take the next
    }
  }
  throw new AppError('NUMBERING_BUSY');
}

/** The schemes with a preview of the next number (per department where the pattern has {dept}). */
export async function listSchemes(s: Services) {
  const out = [];
  for (const type of DOCUMENT_TYPES) {
    const pattern = await patternFor(s, type);
    if (!pattern.includes('{dept}')) {
      const seq = ((await s.ledger.head(counterStream(type, pattern, '')))?.version ?? 0) + 1;
      out.push({ type, pattern, next: render(pattern, seq, ''), nextByDepartment: {} as Record<string, string> });
      continue;
    }
    const heads = new Map<string, number>();
    const prefix = `numbering:${type}.`;
    for await (const e of s.ledger.events.find(
      { stream: { $regex: `^${prefix.replace('.', '\\.')}` } },
      { projection: { stream: 1, version: 1 } },
    )) {
      const dept = e.stream.slice(prefix.length);
      heads.set(dept, Math.max(heads.get(dept) ?? 0, e.version));
    }
    const nextByDepartment = Object.fromEntries([...heads].sort().map(([d, v]) => [d, render(pattern, v + 1, d)]));
    out.push({
      type,
      pattern,
      next: render(pattern, 1, '{dept}').replace(/\d+$/, (m) => 'N'.repeat(m.length)),
      nextByDepartment,
    });
  }
  return out;
}
