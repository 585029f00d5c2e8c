import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { REQUIREMENTS, type Requirement } from './requirements.ts';
import { ROOT } from './manifest.ts';

// The traceability matrix: requirement → feature → tests → their result in the last test run's
// JSON report (vitest's json reporter, .tmp/test-api.json written by `npm run test:api`). A
// requirement is covered only when at least one of its tests passed and none failed; otherwise it
// is a gap, with the reason.

export const DEFAULT_REPORT = path.join(ROOT, '.tmp', 'test-api.json');

interface VitestReport {
  startTime?: number;
  success?: boolean;
  numTotalTests?: number;
  numPassedTests?: number;
  numFailedTests?: number;
  testResults: Array<{ name: string; assertionResults: Array<{ fullName: string; status: string }> }>;
}

export interface MatrixTest {
  file: string;
  name: string;
  status: string; // passed | failed | skipped | pending | todo | not run
}
export interface MatrixRow {
  requirement: Requirement;
  tests: MatrixTest[];
  covered: boolean;
  gap: string | null;
}
export interface Matrix {
  report: {
    path: string;
    found: boolean;
    error?: string;
    startedAt: string | null;
    total: number;
    passed: number;
    failed: number;
  };
  rows: MatrixRow[];
  gaps: number;
}

const rel = (file: string, root: string) => path.relative(root, path.resolve(root, file)).split(path.sep).join('/');

export function readReport(file: string): VitestReport {
  const r = JSON.parse(readFileSync(file, 'utf8')) as VitestReport;
  if (!r || !Array.isArray(r.testResults)) throw new Error('not a vitest JSON report (no testResults)');
  return r;
}

export function buildMatrix(reportPath = DEFAULT_REPORT, root = ROOT, requirements = REQUIREMENTS): Matrix {
  let report: VitestReport | null = null;
  let error: string | undefined;
  try {
    report = readReport(reportPath);
  } catch (err) {
    error =
      (err as NodeJS.ErrnoException).code === 'ENOENT'
        ? `no test report at ${reportPath}: run "npm run test:api"`
        : (err as Error).message;
  }
  const byFile = new Map<string, Array<{ fullName: string; status: string }>>();
  for (const f of report?.testResults ?? []) byFile.set(rel(f.name, root), f.assertionResults ?? []);

  const rows: MatrixRow[] = requirements.map((requirement) => {
    const tests: MatrixTest[] = [];
    for (const ref of requirement.tests) {
      const re = new RegExp(ref.name, 'i');
      const hits = (byFile.get(ref.file) ?? []).filter((a) => re.test(a.fullName));
      if (!hits.length) tests.push({ file: ref.file, name: ref.name, status: 'not run' });
      for (const h of hits) tests.push({ file: ref.file, name: h.fullName, status: h.status });
    }
    const passed = tests.filter((x) => x.status === 'passed').length;
    const failed = tests.filter((x) => x.status === 'failed').length;
    const gap = !requirement.tests.length
      ? 'no automated test covers this requirement'
      : failed
        ? `${failed} test(s) failed`
        : !passed
          ? 'none of its tests passed in the last run (not run or skipped)'
          : null;
    return { requirement, tests, covered: gap === null, gap };
  });
  let startedAt: string | null = null;
  if (report?.startTime) startedAt = new Date(report.startTime).toISOString();
  else if (report) startedAt = statSync(reportPath).mtime.toISOString();
  return {
    report: {
      path: reportPath,
      found: !!report,
      ...(error ? { error } : {}),
      startedAt,
      total: report?.numTotalTests ?? 0,
      passed: report?.numPassedTests ?? 0,
      failed: report?.numFailedTests ?? 0,
    },
    rows,
    gaps: rows.filter((r) => !r.covered).length,
  };
}
