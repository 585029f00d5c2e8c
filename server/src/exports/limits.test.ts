import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, as, type TestServer } from '../../test/harness.ts';
import { EVENTS } from '../ledger/ledger.ts';
import { MAX_RUNNING_PER_USER } from './jobs.ts';

// Issue 9 #1/#2 class ("no input takes the server down"), second review: every export job holds
// its PDF in memory and takes CPU, and any signed-in reader could start them in a loop. A person
// runs at most a few at once; the rest are refused (429, declared) before anything starts or is written.
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ seed: true });
});
afterAll(async () => {
  await t?.stop();
});

describe('export jobs are bounded per person', () => {
  it('refuses exports beyond the running limit with a declared 429, starting and writing nothing for them', async () => {
    const op = await as(t.url, 'operator');
    const docs = (await op.get('/api/v1/documents?state=effective&pageSize=5')).body;
    const doc = (docs.items ?? docs)[0];
    const exported = () => t.services.db.collection(EVENTS).countDocuments({ type: 'export.generated' });
    const before = await exported();
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => op.post('/api/v1/exports', { kind: 'audit-trail', id: `document:${doc.id}` })),
    );
    const statuses = answers.map((a) => a.status);
    expect(
      statuses.every((st) => st === 202 || st === 429),
      statuses.join(','),
    ).toBe(true);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0].body.error).toMatchObject({
      code: 'TOO_MANY_EXPORTS',
      details: { running: MAX_RUNNING_PER_USER },
    });
    const started = answers.filter((a) => a.status === 202);
    // each accepted job finishes; only those are on the ledger
    for (const a of started) {
      for (let i = 0; i < 400; i++) {
        const job = (await op.get(`/api/v1/exports/${a.body.id}`)).body;
        if (job.status !== 'running') break;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    expect(await exported()).toBe(before + started.length);
    // once they are done, the same person may export again
    expect((await op.post('/api/v1/exports', { kind: 'audit-trail', id: `document:${doc.id}` })).status).toBe(202);
    const docApi = (await op.get('/api/v1/openapi.json')).body;
    expect(Object.keys(docApi.paths['/api/v1/exports'].post.responses)).toContain('429');
  });
});
