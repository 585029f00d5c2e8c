import { describe, expect, it } from 'vitest';
import { REQUIREMENTS } from './requirements.ts';

// The tiny designated suite that oq.test.ts runs through the OQ runner: fast, no server.
describe('oq fixture', () => {
  it('every traced requirement has a unique id', () => {
    const ids = REQUIREMENTS.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
