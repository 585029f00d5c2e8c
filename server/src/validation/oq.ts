import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readReport } from './matrix.ts';
import { ROOT } from './manifest.ts';
import { OQ_SUITE } from './oqSuite.ts';

// Operational qualification (issue 14 item 1): runs the designated API test files (oqSuite.ts)
// with vitest's JSON reporter, each test server on its own throwaway embedded database, and
// returns every test with its result. The matrix is then built from THIS run's report.

export interface OqTest {
  file: string;
  name: string;
  status: string;
  durationMs: number;
}
export interface OqResult {
  reportPath: string;
  files: string[];
  exitCode: number | null;
  startedAt: string;
  durationMs: number;
  total: number;
  passed: number;
  failed: number;
  tests: OqTest[];
  error?: string;
}

export async function runOq(
  opts: { files?: readonly string[]; root?: string; reportPath?: string; timeoutMs?: number } = {},
): Promise<OqResult> {
  const root = opts.root ?? ROOT;
  const files = [...(opts.files ?? OQ_SUITE)];
  const reportPath = opts.reportPath ?? path.join(mkdtempSync(path.join(tmpdir(), 'provenant-oq-')), 'oq-report.json');
  const started = Date.now();
  const args = [
    path.join(root, 'node_modules/vitest/vitest.mjs'),
    'run',
    '--config',
    path.join(root, 'server/src/validation/oq.vitest.config.ts'),
    '--reporter=json',
    `--outputFile.json=${reportPath}`,
    ...files,
  ];
  const exitCode = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, env: process.env, stdio: ['ignore', 'ignore', 'pipe'] });
    const timer = setTimeout(() => child.kill('SIGTERM'), opts.timeoutMs ?? 30 * 60_000);
    child.stderr.resume();
    child.on('error', () => resolve(null));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  const base = {
    reportPath,
    files,
    exitCode,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
  };
  try {
    const r = readReport(reportPath);
    const tests: OqTest[] = r.testResults.flatMap((f) =>
      (f.assertionResults ?? []).map((a) => ({
        file: path.relative(root, f.name).split(path.sep).join('/'),
        name: a.fullName,
        status: a.status,
        durationMs: Math.round((a as { duration?: number }).duration ?? 0),
      })),
    );
    return {
      ...base,
      tests,
      total: tests.length,
      passed: tests.filter((t) => t.status === 'passed').length,
      failed: tests.filter((t) => t.status === 'failed').length,
    };
  } catch (err) {
    return { ...base, tests: [], total: 0, passed: 0, failed: 0, error: `no OQ report: ${(err as Error).message}` };
  }
}
