import { existsSync } from 'node:fs';
import setup from '../../test/globalSetup.ts';

// OQ's global setup: the demo company is seeded once into a template data directory, as for
// `npm run test:api`, unless the calling process already holds one (PROVENANT_TEST_TEMPLATE), which
// is then reused read-only (each test server copies it into its own throwaway directory).
export default async function oqSetup() {
  const dir = process.env.PROVENANT_TEST_TEMPLATE;
  if (dir && existsSync(dir)) return () => undefined;
  return setup();
}
