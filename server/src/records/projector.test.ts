import { describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { startTestServer, as } from '../../test/harness.ts';
import { Ledger } from '../ledger/ledger.ts';
import { SYSTEM_ACTOR } from '../platform/context.ts';

describe('projections', () => {
  it('lose nothing when the process dies between append and projection: start-up catches up', async () => {
    const first = await startTestServer({ seed: true, keepData: true });
    let userId = '';
    try {
      const admin = await as(first.url, 'admin');
      userId = (await admin.get('/api/v1/users')).body.find((u: { username: string }) => u.username === 'operator').id;
      // a second ledger instance with no projector attached: the append lands, the projection does not
      const bare = new Ledger(first.services.db);
      await bare.append(`user:${userId}`, 'user.updated', { fullName: '吴丽 Wu Li (Line 2)' }, { actor: SYSTEM_ACTOR });
      expect((await admin.get(`/api/v1/users/${userId}`)).body.fullName).toBe('吴丽 Wu Li');
    } finally {
      await first.stop();
    }
    const second = await startTestServer({ dataDir: first.dataDir });
    try {
      const admin = await as(second.url, 'admin');
      expect((await admin.get(`/api/v1/users/${userId}`)).body.fullName).toBe('吴丽 Wu Li (Line 2)');
      // applying the same event again changes nothing (idempotent guard)
      const e = (await second.services.ledger.read(`user:${userId}`)).at(-1)!;
      await second.services.projector.apply(e);
      await second.services.projector.apply(e);
      const doc = await second.services.db.collection('users').findOne({ _id: userId as never });
      expect(doc?.ledgerVersion).toBe(e.version);
    } finally {
      await second.stop();
      rmSync(first.dataDir, { recursive: true, force: true });
    }
  });

  it('seals checkpoints on a timer', async () => {
    const t = await startTestServer({ seed: true, env: { CHECKPOINT_INTERVAL_SECONDS: '1' } });
    try {
      const admin = await as(t.url, 'admin');
      const before = (await admin.get('/api/v1/ledger/checkpoints')).body.length;
      await admin.post('/api/v1/auth/tokens', { name: 'something to seal' });
      await new Promise((r) => setTimeout(r, 2500));
      const after = (await admin.get('/api/v1/ledger/checkpoints')).body;
      expect(after.length).toBeGreaterThan(before);
      expect(after.at(-1).signature).toMatch(/^[A-Za-z0-9+/=]{100,}$/);
    } finally {
      await t.stop();
    }
  });
});
