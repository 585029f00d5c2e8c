import { describe, expect, it } from 'vitest';
import { buildMatrix } from './matrix.ts';
import { runOq } from './oq.ts';
import { OQ_FIXTURE, OQ_SUITE } from './oqSuite.ts';
import { REQUIREMENTS, type Requirement } from './requirements.ts';

// The OQ runner on a tiny designated suite (one fast file): every test of the run is recorded with
// its result, and the matrix built from THIS run's report shows the result per requirement, with
// a requirement whose test did not run listed as a gap (ISO 13485 4.1.6, 21 CFR 11.10(a)).
describe('OQ runner', () => {
  it('the designated suite is the set of files the matrix traces', () => {
    expect(OQ_SUITE).toContain('server/src/ledger/ledger.test.ts');
    for (const r of REQUIREMENTS) for (const t of r.tests) expect(OQ_SUITE).toContain(t.file);
  });

  it('runs a suite with the JSON reporter and the matrix reads this run', async () => {
    const oq = await runOq({ files: [OQ_FIXTURE] });
    expect(oq.error).toBeUndefined();
    expect(oq.exitCode).toBe(0);
    expect(oq.tests).toEqual([
      expect.objectContaining({
        file: OQ_FIXTURE,
        name: 'oq fixture every traced requirement has a unique id',
        status: 'passed',
      }),
    ]);
    expect({ total: oq.total, passed: oq.passed, failed: oq.failed }).toEqual({ total: 1, passed: 1, failed: 0 });
    const reqs: Requirement[] = [
      { ...REQUIREMENTS[0], id: 'A', tests: [{ file: OQ_FIXTURE, name: 'unique id' }] },
      { ...REQUIREMENTS[0], id: 'B', tests: [{ file: 'server/src/ledger/ledger.test.ts', name: 'edited event' }] },
    ];
    const m = buildMatrix(oq.reportPath, undefined, reqs);
    expect(m.report).toMatchObject({ found: true, total: 1, passed: 1, failed: 0 });
    expect(m.rows[0]).toMatchObject({ covered: true, gap: null });
    expect(m.rows[0].tests).toEqual([
      { file: OQ_FIXTURE, name: 'oq fixture every traced requirement has a unique id', status: 'passed' },
    ]);
    expect(m.rows[1]).toMatchObject({ covered: false, tests: [expect.objectContaining({ status: 'not run' })] });
    expect(m.gaps).toBe(1);
  }, 300_000);
});
