import { describe, expect, it } from 'vitest';
import { codeLetter, samplingPlan, tableCell } from './sampling.ts';

describe('ISO 2859-1 single sampling, normal, level II', () => {
  it('maps lot sizes to code letters (Table I)', () => {
    expect(codeLetter(1200)).toBe('J');
    expect(codeLetter(50)).toBe('D');
    expect(codeLetter(8)).toBe('A');
    expect(codeLetter(9)).toBe('B');
    expect(codeLetter(1201)).toBe('K');
    expect(codeLetter(10_000)).toBe('L');
    expect(codeLetter(500_001)).toBe('Q');
  });

  it('gives the published plans (Table II-A)', () => {
    expect(samplingPlan(1200, 1)).toMatchObject({ letter: 'J', sampleSize: 80, ac: 2, re: 3 });
    expect(samplingPlan(1200, 0.65)).toMatchObject({ letter: 'J', sampleSize: 80, ac: 1, re: 2 });
    expect(samplingPlan(1200, 2.5)).toMatchObject({ sampleSize: 80, ac: 5, re: 6 });
    expect(samplingPlan(3000, 2.5)).toMatchObject({ letter: 'K', sampleSize: 125, ac: 7, re: 8 });
    expect(samplingPlan(5000, 1)).toMatchObject({ letter: 'L', sampleSize: 200, ac: 5, re: 6 });
    expect(samplingPlan(5000, 6.5)).toMatchObject({ sampleSize: 200, ac: 21, re: 22 });
    expect(samplingPlan(300, 4)).toMatchObject({ letter: 'H', sampleSize: 50, ac: 5, re: 6 });
  });

  it('follows the arrows', () => {
    // D at 1.0 is ↓: the first plan below is E (n = 13) with Ac 0 Re 1
    expect(tableCell('D', 1)).toBe('down');
    expect(samplingPlan(50, 1)).toMatchObject({ letter: 'D', planLetter: 'E', sampleSize: 13, ac: 0, re: 1 });
    // J at 0.25 is ↑: the plan above is H (n = 50) with Ac 0 Re 1
    expect(tableCell('J', 0.25)).toBe('up');
    expect(samplingPlan(1000, 0.25)).toMatchObject({ planLetter: 'H', sampleSize: 50, ac: 0, re: 1 });
    // J at 0.40 is ↓: K (n = 125) with Ac 1 Re 2
    expect(samplingPlan(1000, 0.4)).toMatchObject({ planLetter: 'K', sampleSize: 125, ac: 1, re: 2 });
    // a small lot at a tight AQL: ↓ until a sample of 0 1 exists, then 100 % inspection
    expect(samplingPlan(20, 0.065)).toMatchObject({
      planLetter: 'L',
      sampleSize: 20,
      ac: 0,
      re: 1,
      hundredPercent: true,
    });
  });

  it('covers every supported AQL at every letter without a dead end', () => {
    for (const aql of [0.065, 0.1, 0.15, 0.25, 0.4, 0.65, 1, 1.5, 2.5, 4, 6.5, 10]) {
      for (const lot of [2, 10, 20, 40, 80, 120, 200, 400, 1000, 2000, 8000, 20_000, 100_000, 300_000, 600_000]) {
        const p = samplingPlan(lot, aql);
        expect(p.re).toBe(p.ac + 1);
        expect(p.sampleSize).toBeLessThanOrEqual(lot);
      }
    }
  });
});
