import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { registerListExport, type ListExport } from './lists.ts';

// Two servers in one process (the multi-server tests) register their lists twice: the same
// definition registered again is not a clash; another definition under the same name is, even one
// of the same shape (so every list is a module-level constant, registered in modules/contributions.ts).
const def = (title: string): ListExport<{ a: string }, object> => ({
  permission: 'records.read',
  title: { en: title, zh: title },
  query: z.object({}),
  columns: [{ key: 'a', header: { en: 'A', zh: '甲' }, value: (r) => r.a }],
  rows: async () => [],
});

describe('list export registry', () => {
  it('accepts the same definition registered again by a second server, and refuses another under its name', () => {
    const list = def('Registry test');
    registerListExport('registry-test', list);
    expect(() => registerListExport('registry-test', list)).not.toThrow();
    expect(() => registerListExport('registry-test', def('Registry test'))).toThrow(/registered twice/);
    expect(() => registerListExport('registry-test', def('Another list'))).toThrow(/registered twice/);
  });
});
