import { it, expect } from 'vitest';
import { startTestServer, as } from '../../../test/harness.ts';
it('seeds', async () => {
  const t0 = Date.now();
  const srv = await startTestServer({ seed: true });
  console.log('seed+boot ms', Date.now() - t0);
  const c = await as(srv.url, 'qa.manager');
  const r = await c.get('/api/v1/documents?pageSize=50');
  console.log(r.status, r.body.total, r.body.items?.map((i: any) => `${i.number} ${i.state} ${i.revision} ${i.nextReviewDue}`).join('\n'));
  const a = await as(srv.url, 'author');
  console.log(JSON.stringify((await a.get('/api/v1/tasks')).body));
  const o = await as(srv.url, 'operator');
  console.log(JSON.stringify((await o.get('/api/v1/tasks')).body).slice(0, 600));
  console.log(JSON.stringify((await c.get('/api/v1/numbering-schemes')).body));
  const v = await c.get('/api/v1/ledger/verify');
  console.log(JSON.stringify(v.body).slice(0, 300));
  await srv.stop();
}, 120000);
