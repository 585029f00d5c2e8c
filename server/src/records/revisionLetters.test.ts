import { describe, expect, it } from 'vitest';
import { nextLetter } from './revisionLetters.ts';

// ASME Y14.35: revisions go A … Z, then AA, AB …
describe('revision letters', () => {
  it('counts A to Z, then on with two letters', () => {
    expect(['A', 'B', 'Y', 'Z', 'AA', 'AZ', 'BA', 'ZZ'].map(nextLetter)).toEqual([
      'B',
      'C',
      'Z',
      'AA',
      'AB',
      'BA',
      'BB',
      'AAA',
    ]);
  });
});
