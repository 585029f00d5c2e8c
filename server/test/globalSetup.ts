import { seededTemplate } from './seedTemplate.ts';

// The demo company, seeded once and shared by every test run until a source changes
// (seedTemplate.ts): every startTestServer({seed: true}) starts from a copy of it instead of
// seeding again (seeding signs hundreds of records, each with a real password check).
export default async function setup() {
  process.env.PROVENANT_TEST_TEMPLATE = await seededTemplate();
}
