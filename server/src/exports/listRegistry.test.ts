import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { registerListExport, type ListExport } from './lists.ts';

// Two servers in one process (the multi-server tests) build their routes twice, and some modules
// build their list definition there: the same list registered again is not a clash; another list
// under the same name is.
const def = (title: string): ListExport<{ a: string }, object> => ({
  permission: 'records.read',
  title: { en: title, zh: title },
  query: z.object({}),
  columns: [{ key: 'a', header: { en: 'A', zh: '甲' }, value: (r) => r.a }],
  rows: async () => [],
});

describe('list export registry', () => {
  it('accepts the same list registered again by a second server, and refuses a different list under its name', () => {
    registerListExport('registry-test', def('Registry test'));
    expect(() => registerListExport('registry-test', def('Registry test'))).not.toThrow();
    expect(() => registerListExport('registry-test', def('Another list'))).toThrow(/registered twice/);
  });
});
