import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, as, DEMO_PASSWORD, type TestServer, type Client } from '../../server/test/harness.ts';
import { defineRecordType, registerRecordTypes } from '../../server/src/records/registry.ts';
import { hashEvent, type LedgerEvent } from '../../server/src/ledger/event.ts';
import { EVENTS } from '../../server/src/ledger/ledger.ts';
import { SYSTEM_ACTOR } from '../../server/src/platform/context.ts';
import { manifestation } from '../manifestation.ts';
import { totpAt } from '../../server/src/identity/totp.ts';

// A record type that exists only in this test: a specification with an author, approvable by a
// QA manager, so the signature service can be tested apart from any module. Registered by hand:
// record types are known only when registered (records/types.ts lists the server's own).
const notAllowed = (meaning: string) => ({
  code: 'SIGNATURE_NOT_ALLOWED',
  en: `You may not sign this record as "${meaning}".`,
  zh: `您无权以"${meaning}"签署此记录。`,
  status: 403,
});
interface Spec {
  title: string;
  body: string;
  authorId: string;
  approvals: number;
}
const specType = defineRecordType<Spec>({
  type: 'spec_test',
  collection: 'spec_tests',
  reduce(s, e) {
    const d = e.data as Record<string, any>;
    if (e.type === 'spec.created') return { title: d.title, body: d.body, authorId: d.authorId, approvals: 0 };
    if (e.type === 'spec.edited') return { ...s!, body: d.body };
    if (e.type === 'signature.applied') return { ...s!, approvals: s!.approvals + (d.meaning === 'approved' ? 1 : 0) };
    return s!;
  },
  content: (s) => ({ title: s.title, body: s.body, authorId: s.authorId }),
  author: (s) => s.authorId,
  // signed through the one command path like every record: a lifecycle of bare signatures
  lifecycle: {
    record: 'spec_test',
    initial: 'open',
    states: ['open'],
    final: [],
    stateOf: () => 'open',
    transitions: [
      {
        name: 'approve',
        from: ['open'],
        signature: { meaning: 'approved', notAuthor: true },
        who: (u) => u.roles.includes('qa_manager'),
        whoRefusal: notAllowed('approved'),
      },
      {
        name: 'review',
        from: ['open'],
        signature: { meaning: 'reviewed', notAuthor: true },
        who: (u) => u.roles.includes('reviewer'),
        whoRefusal: notAllowed('reviewed'),
      },
      { name: 'author', from: ['open'], signature: { meaning: 'authored' } },
    ],
  },
});
registerRecordTypes([specType]);

let t: TestServer;
let ids: Record<string, string>;
const ledgerCount = () => t.services.db.collection(EVENTS).countDocuments({});

async function newSpec(name: string, authorUsername = 'author') {
  const stream = `spec_test:${name}`;
  await t.services.ledger.append(
    stream,
    'spec.created',
    { title: name, body: 'Tensile strength ≥ 15 N', authorId: ids[authorUsername] },
    { actor: SYSTEM_ACTOR },
  );
  return stream;
}
const sign = (c: Client, stream: string, body: Record<string, unknown>) =>
  c.post(`/api/v1/records/${encodeURIComponent(stream)}/signatures`, body);

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  const admin = await as(t.url, 'admin');
  ids = Object.fromEntries(
    (await admin.get('/api/v1/users')).body.map((u: { username: string; id: string }) => [u.username, u.id]),
  );
});
afterAll(async () => {
  await t?.stop();
});

describe('electronic signatures', () => {
  it('re-authenticates, binds the content hash and shows the manifestation', async () => {
    const stream = await newSpec('s1');
    const qa = await as(t.url, 'qa.manager');
    const r = await sign(qa, stream, { meaning: 'approved', password: DEMO_PASSWORD, version: 1 });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      meaning: 'approved',
      signer: { name: '李伟 Li Wei' },
      recordVersion: 1,
      valid: true,
    });
    expect(r.body.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(r.body.manifestation).toMatch(/^李伟 Li Wei — Approved — \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    const list = await qa.get(`/api/v1/records/${encodeURIComponent(stream)}/signatures`);
    expect(list.body).toHaveLength(1);
    expect(list.body[0].valid).toBe(true);
  });

  it('records nothing but a failed attempt on a wrong password', async () => {
    const stream = await newSpec('s2');
    const qa = await as(t.url, 'qa.manager');
    const before = await ledgerCount();
    const r = await sign(qa, stream, { meaning: 'approved', password: 'wrong-password!!', version: 1 });
    expect(r.status).toBe(401);
    expect(await ledgerCount()).toBe(before + 1);
    const last = await t.services.db
      .collection(EVENTS)
      .find({ stream: `user:${ids['qa.manager']}` })
      .sort({ version: -1 })
      .limit(1)
      .next();
    expect(last).toMatchObject({ type: 'auth.signatureFailed', data: { stream, meaning: 'approved' } });
    expect(await t.services.db.collection(EVENTS).countDocuments({ stream })).toBe(1);
  });

  it('refuses the author approving their own version, and the wrong role', async () => {
    const stream = await newSpec('s3', 'qa.manager');
    const qa = await as(t.url, 'qa.manager');
    const own = await sign(qa, stream, { meaning: 'approved', password: DEMO_PASSWORD, version: 1 });
    expect(own.status).toBe(409);
    expect(own.body.error.code).toBe('SIGNER_IS_AUTHOR');
    const op = await as(t.url, 'operator');
    const wrong = await sign(op, stream, { meaning: 'approved', password: DEMO_PASSWORD, version: 1 });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('SIGNATURE_NOT_ALLOWED');
    expect(await t.services.db.collection(EVENTS).countDocuments({ stream })).toBe(1);
  });

  it('refuses a signature on content the signer has not seen', async () => {
    const stream = await newSpec('s4');
    await t.services.ledger.append(stream, 'spec.edited', { body: 'Tensile strength ≥ 20 N' }, { actor: SYSTEM_ACTOR });
    const qa = await as(t.url, 'qa.manager');
    const stale = await sign(qa, stream, { meaning: 'approved', password: DEMO_PASSWORD, version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('STALE_VERSION');
    expect((await sign(qa, stream, { meaning: 'approved', password: DEMO_PASSWORD, version: 2 })).status).toBe(201);
    const again = await sign(qa, stream, { meaning: 'approved', password: DEMO_PASSWORD, version: 3 });
    expect(again.body.error.code).toBe('ALREADY_SIGNED');
  });

  it('verifies only against the exact content it signed', async () => {
    const stream = await newSpec('s5');
    const qa = await as(t.url, 'qa.manager');
    expect((await sign(qa, stream, { meaning: 'approved', password: DEMO_PASSWORD, version: 1 })).status).toBe(201);
    // someone rewrites the signed content in the database, even re-hashing the event
    const events = t.services.db.collection<LedgerEvent>(EVENTS);
    const e = (await events.findOne({ stream, version: 1 }, { projection: { _id: 0 } }))!;
    const forged = { ...e, data: { ...e.data, body: 'Tensile strength ≥ 5 N' } };
    forged.hash = hashEvent(forged);
    await events.replaceOne({ stream, version: 1 }, forged);
    const list = await qa.get(`/api/v1/records/${encodeURIComponent(stream)}/signatures`);
    expect(list.body[0].valid).toBe(false);
    expect(list.body[0].problems).toContain('signed content has changed');
  });

  it('cannot be cut and pasted onto another record', async () => {
    const a = await newSpec('s6a');
    const b = await newSpec('s6b');
    const qa = await as(t.url, 'qa.manager');
    expect((await sign(qa, a, { meaning: 'approved', password: DEMO_PASSWORD, version: 1 })).status).toBe(201);
    const sig = (await t.services.db
      .collection<LedgerEvent>(EVENTS)
      .findOne({ stream: a, type: 'signature.applied' }, { projection: { _id: 0 } }))!;
    // append a copy of the signature to b through the ledger itself (a perfectly chained paste)
    await t.services.ledger.append(b, 'signature.applied', { ...sig.data }, { actor: SYSTEM_ACTOR });
    const list = await qa.get(`/api/v1/records/${encodeURIComponent(b)}/signatures`);
    expect(list.body[0].valid).toBe(false);
    expect(list.body[0].problems).toContain('signature was made for another record');
  });

  it('rejects bad input and unknown records with nothing written', async () => {
    const stream = await newSpec('s7');
    const qa = await as(t.url, 'qa.manager');
    const before = await ledgerCount();
    expect((await sign(qa, stream, { meaning: 'blessed', password: DEMO_PASSWORD, version: 1 })).status).toBe(400);
    expect((await sign(qa, stream, { meaning: 'approved', password: DEMO_PASSWORD, version: 0 })).status).toBe(400);
    expect((await sign(qa, stream, { meaning: 'approved', password: DEMO_PASSWORD, version: 9 })).status).toBe(409);
    expect(
      (await sign(qa, 'spec_test:nope', { meaning: 'approved', password: DEMO_PASSWORD, version: 1 })).status,
    ).toBe(404);
    expect((await sign(qa, 'not a stream', { meaning: 'approved', password: DEMO_PASSWORD, version: 1 })).status).toBe(
      400,
    );
    expect(await ledgerCount()).toBe(before);
  });

  it('asks for the TOTP code at signing when the signer is enrolled', async () => {
    const stream = await newSpec('s8');
    const eng = await as(t.url, 'qa.engineer');
    const start = await eng.post('/api/v1/auth/totp/enroll', { password: DEMO_PASSWORD });
    expect((await eng.post('/api/v1/auth/totp/confirm', { code: totpAt(start.body.secret) })).status).toBe(200);
    const without = await sign(eng, stream, { meaning: 'authored', password: DEMO_PASSWORD, version: 1 });
    expect(without.body.error.code).toBe('TOTP_REQUIRED');
    const wrongCode = totpAt(start.body.secret) === '123456' ? '654321' : '123456';
    expect(
      (await sign(eng, stream, { meaning: 'authored', password: DEMO_PASSWORD, totp: wrongCode, version: 1 })).body
        .error.code,
    ).toBe('TOTP_INVALID');
    // the confirming code is spent (RFC 6238 §5.2): sign with the next one, inside the drift window
    const ok = await sign(eng, stream, {
      meaning: 'authored',
      password: DEMO_PASSWORD,
      totp: totpAt(start.body.secret, Date.now() + 30_000),
      version: 1,
    });
    expect(ok.status).toBe(201);
  });

  it('renders the manifestation in both languages', () => {
    expect(manifestation('Printed Name', 'approved', '2026-11-26T08:00:00.000Z')).toBe(
      'Printed Name — Approved — 2026-11-26 08:00:00 UTC',
    );
    expect(manifestation('李伟', 'reviewed', '2026-11-26T08:00:00.000Z', 'zh-CN')).toBe(
      '李伟 — 审核 — 2026-11-26 08:00:00 UTC',
    );
  });
});
