import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { Client, TestServer } from './harness.ts';
import { validatePdfA } from './verapdf.ts';

// One way for HTTP tests to take a sealed export and read it: start the job, wait for it, download
// the file, and hold it to what every export promises — a PDF, a valid seal (pdfsig), its SHA-256 on
// the ledger as export.generated — before a test looks at its text (pdftotext -layout).
const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' });

export async function exportedPdfText(
  t: TestServer,
  c: Client,
  body: Record<string, unknown>,
  dir: string,
  opts: { pdfa?: '2b' } = {},
): Promise<string> {
  const start = await c.post('/api/v1/exports', body);
  expect(start.status, JSON.stringify(start.body)).toBe(202);
  let job = start.body;
  for (let i = 0; i < 400 && job.status === 'running'; i++) {
    await new Promise((res) => setTimeout(res, 50));
    job = (await c.get(`/api/v1/exports/${job.id}`)).body;
  }
  expect(job, JSON.stringify(job)).toMatchObject({ status: 'done' });
  const file = await c.bytes(`/api/v1/exports/${job.id}/file`);
  expect(file.type).toBe('application/pdf');
  const p = path.join(dir, `${job.id}.pdf`);
  writeFileSync(p, file.body);
  expect(run('pdfsig', [p]).stdout).toContain('Signature is Valid');
  if (opts.pdfa) expect((await validatePdfA(p, opts.pdfa)).failures).toEqual([]);
  const [e] = await t.services.ledger.read(`export:${job.id}`);
  expect(e.type).toBe('export.generated');
  expect(e.data).toMatchObject({ kind: body.kind, sha256: createHash('sha256').update(file.body).digest('hex') });
  return run('pdftotext', ['-layout', p, '-']).stdout;
}

/** Asserts each heading appears, in this order, and returns the text between consecutive ones. */
export function inOrder(text: string, headings: string[]) {
  const at = headings.map((h) => text.indexOf(h));
  headings.forEach((h, i) => expect(at[i], `"${h}" in the PDF`).toBeGreaterThanOrEqual(0));
  for (let i = 1; i < at.length; i++)
    expect(at[i], `"${headings[i]}" after "${headings[i - 1]}"`).toBeGreaterThan(at[i - 1]);
  return Object.fromEntries(headings.map((h, i) => [h, text.slice(at[i], at[i + 1] ?? text.length)]));
}

/** pdftotext's line breaks and column padding folded to single spaces. */
export const flat = (s: string) => s.replace(/\s+/g, ' ');
