import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from '../src/main.ts';
import { TEST_ENV } from './harness.ts';

// Seeds the demo company once per test run into a template data directory; every
// startTestServer({seed: true}) starts from a copy of it instead of seeding again (seeding signs
// dozens of records, each with a real password check).
export default async function setup() {
  const dir = mkdtempSync(path.join(tmpdir(), 'provenant-template-'));
  const running = await startServer({ ...TEST_ENV(), DATA_DIR: dir, PROVENANT_SEED: 'auto' }, { quiet: true });
  await running.stop();
  process.env.PROVENANT_TEST_TEMPLATE = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
