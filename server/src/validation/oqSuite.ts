import { REQUIREMENTS } from './requirements.ts';

// The designated OQ subset (issue 14 item 1; ISO 13485 4.1.6, 21 CFR 11.10(a)): the API test
// files that the traceability matrix traces, each run against a throwaway database (every test
// server of server/test/harness.ts starts its own embedded engine in a temporary directory).
// Running exactly these files keeps OQ to a few minutes and gives every matrix row a result from
// THIS run. Paths are from the repository root.
export const OQ_SUITE: readonly string[] = [...new Set(REQUIREMENTS.flatMap((r) => r.tests.map((t) => t.file)))].sort();

/** A one-file suite for testing the OQ runner itself. */
export const OQ_FIXTURE = 'server/src/validation/oqFixture.test.ts';
