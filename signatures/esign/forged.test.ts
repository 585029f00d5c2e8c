import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/harness.ts';
import { hashEvent, type LedgerEvent } from '../../server/src/ledger/event.ts';
import { EVENTS, eventId } from '../../server/src/ledger/ledger.ts';
import { SYSTEM_ACTOR } from '../../server/src/platform/context.ts';
import { addDays, todayUtc } from '../../server/src/platform/dates.ts';
import { createLot } from '../../server/src/modules/inventory/service.ts';
import {
  act,
  cast,
  effectiveDocument,
  newDocumentBody,
  upload,
  sign,
  type Cast,
} from '../../server/src/modules/documents/documents.factory.ts';
import { SIGNATURE_EVENT, contentHashOf, signedPayload, type SignatureData } from './seal.ts';
import { recordTypeOf } from '../../server/src/records/registry.ts';

// Issue 9, finding 3: a signature event copied onto another record, or forged, is written
// straight into the database with a recomputed hash chain, as someone with write access to it
// would. The workflow must not count it (the record does not move on) and the signatures view
// must name it. The projections are rebuilt from the ledger by a restart.
let t: TestServer;
let k: Cast;
const events = () => t.services.db.collection<LedgerEvent & { _id: string }>(EVENTS);

/** Appends events to a stream behind the ledger's back, each with a correct hash and link. */
async function forgeAppend(
  stream: string,
  add: Array<{ type: string; data: Record<string, unknown>; actor?: LedgerEvent['actor'] }>,
) {
  let head = (await events().find({ stream }).sort({ version: -1 }).limit(1).next())!;
  for (const a of add) {
    const body = {
      stream,
      version: head.version + 1,
      type: a.type,
      at: new Date().toISOString(),
      actor: a.actor ?? head.actor,
      data: a.data,
      prevHash: head.hash,
    };
    const e = { ...body, hash: hashEvent(body) };
    await events().insertOne({ _id: eventId(stream, e.version), ...e });
    head = e as typeof head;
  }
}
async function signatureEvent(stream: string, meaning: string) {
  return (await events()
    .find({ stream, type: SIGNATURE_EVENT, 'data.meaning': meaning })
    .sort({ version: -1 })
    .limit(1)
    .next()) as unknown as LedgerEvent<SignatureData>;
}
async function restart() {
  await t.stop();
  t = await startTestServer({ dataDir: t.dataDir, keepData: true });
  k = await cast(t.url);
}
const docStream = (id: string) => `document:${id}`;
const signaturesView = async (stream: string) =>
  (await k.qa.get(`/api/v1/records/${encodeURIComponent(stream)}/signatures`)).body;

beforeAll(async () => {
  t = await startTestServer({ seed: true, keepData: true });
  k = await cast(t.url);
});
afterAll(async () => {
  await t?.stop();
});

describe('a signature that does not verify counts for nothing', () => {
  let copiedOnto = '';
  let forgedOn = '';
  let lotId = '';
  let lotReleaseSig: LedgerEvent<SignatureData>;

  it('sets up: an approval by reviewer2 on one document, two documents waiting for approval, a released lot', async () => {
    const source = await effectiveDocument(k, { approvers: [k.ids.reviewer2] });
    expect((await signatureEvent(docStream(source), 'approved')).data.signer.username).toBe('reviewer2');
    for (const approvers of [[k.ids['qa.manager'], k.ids.reviewer2], [k.ids['qa.manager']]]) {
      const created = await k.author.post('/api/v1/documents', newDocumentBody(k.ids, { approvers }));
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const id = created.body.id;
      await upload(k.author, id);
      await act(k.author, id, 'submit');
      await act(k.reviewer, id, 'review', sign);
      expect((await act(k.reviewer2, id, 'review', sign)).body.revisions[0].state).toBe('approval');
      if (approvers.length === 2) copiedOnto = id;
      else forgedOn = id;
    }
    // a lot released from hold by QA: its "released" signature is the one copied onto another lot later
    const item = (await k.qa.get('/api/v1/items')).body.find(
      (i: { partNumber: string }) => i.partNumber === 'CP-LUER-001',
    );
    const mk = async () => {
      const id = randomUUID();
      await createLot(
        t.services,
        id,
        'lot.produced',
        {
          item: { id: item.id, partNumber: item.partNumber, name: item.name, unit: item.unit, control: item.control },
          lotNumber: `F-${id.slice(0, 8)}`,
          kind: 'lot',
          serial: null,
          quantity: 10,
          location: 'WH1-QA-01',
          status: 'released',
          expiryDate: addDays(todayUtc(), 300),
          source: 'test-factory',
        },
        SYSTEM_ACTOR,
      );
      expect((await k.qa.post(`/api/v1/lots/${id}/hold`, { reason: 'suspected mix-up' })).status).toBe(200);
      return id;
    };
    const released = await mk();
    expect(
      (await k.qa.post(`/api/v1/lots/${released}/release-hold`, { reason: 'checked: no mix-up', ...sign })).body.status,
    ).toBe('released');
    lotReleaseSig = await signatureEvent(`lot:${released}`, 'released');
    lotId = await mk();
    // the reviewer2 approval copied onto the two-approver document, as is (hash chain recomputed)
    const approval = await signatureEvent(docStream(source), 'approved');
    await forgeAppend(docStream(copiedOnto), [{ type: SIGNATURE_EVENT, data: approval.data, actor: approval.actor }]);
    // on the one-approver document: an approval by an operator sealed with the server's own key (as if the key had
    // leaked) and one by the QA manager that is not sealed, both made for this record and its content, followed by the
    // events that would make the document effective
    const d = (await k.qa.get(`/api/v1/documents/${forgedOn}`)).body;
    const contentHash = await headContentHash(docStream(forgedOn));
    const body = (username: string) => ({
      signatureId: randomUUID(),
      stream: docStream(forgedOn),
      meaning: 'approved',
      signer: { id: k.ids[username], name: username, username },
      signedAt: new Date().toISOString(),
      recordVersion: d.version,
      contentHash,
    });
    const byOperator = body('operator');
    await forgeAppend(docStream(forgedOn), [
      {
        type: SIGNATURE_EVENT,
        data: {
          ...byOperator,
          serverSignature: t.services.signer.sign(signedPayload(byOperator)),
          certFingerprint: t.services.signer.fingerprint,
        },
      },
      {
        type: SIGNATURE_EVENT,
        data: {
          ...body('qa.manager'),
          serverSignature: approval.data.serverSignature,
          certFingerprint: t.services.signer.fingerprint,
        },
      },
      { type: 'document.approved', data: { revision: 'A' } },
      { type: 'document.becameEffective', data: { revision: 'A', effectiveDate: todayUtc(), supersedes: null } },
    ]);
    // the released lot's signature copied onto the held lot, with the proposal and the effect it would complete
    await forgeAppend(`lot:${lotId}`, [
      {
        type: 'lot.decisionProposed',
        data: { decision: 'release_hold', reason: 'forged' },
        actor: lotReleaseSig.actor,
      },
      { type: SIGNATURE_EVENT, data: lotReleaseSig.data, actor: lotReleaseSig.actor },
      { type: 'lot.holdReleased', data: { signatureId: lotReleaseSig.data.signatureId }, actor: lotReleaseSig.actor },
    ]);
    await restart();
  });

  it('a copied approval does not complete the approvals: the document stays in approval after the real approver signs', async () => {
    expect((await k.qa.get(`/api/v1/documents/${copiedOnto}`)).body.revisions[0].state).toBe('approval');
    const r = await act(k.qa, copiedOnto, 'approve', sign);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      state: 'approval',
      revisions: [
        { state: 'approval', approvals: [expect.objectContaining({ name: expect.stringContaining('Li Wei') })] },
      ],
    });
    const view = await signaturesView(docStream(copiedOnto));
    expect(view.map((v: { valid: boolean }) => v.valid)).toEqual([true, true, false, true]);
    expect(view[2].problems).toContain('signature was made for another record');
    // reviewer2 can still approve for real, and only then is the document approved
    const done = await act(k.reviewer2, copiedOnto, 'approve', sign);
    expect(done.status).toBe(200);
    expect(done.body.state).toBe('effective');
  });

  it('forged approvals with forged follow-ups do not make a document effective, and are named', async () => {
    const d = (await k.qa.get(`/api/v1/documents/${forgedOn}`)).body;
    expect(d).toMatchObject({ state: 'approval', revisions: [{ state: 'approval', effectiveDate: null }] });
    expect(d.revisions[0].approvals).toEqual([]);
    const view = await signaturesView(docStream(forgedOn));
    const [byOperator, unsealed] = view.slice(-2);
    expect(byOperator.valid).toBe(false);
    expect(byOperator.problems).toEqual(['signer was not authorized to sign: NOT_AN_APPROVER']);
    expect(unsealed.valid).toBe(false);
    expect(unsealed.problems).toEqual(['server seal does not verify']);
    // the replay agrees with the projection
    const replayed = await t.services.projector.replayedStateAt<{ state: string }>(docStream(forgedOn), d.version);
    expect(replayed?.state).toBe('approval');
  });

  it('a copied lot release signature does not release a held lot', async () => {
    const l = (await k.qa.get(`/api/v1/lots/${lotId}`)).body;
    expect(l.status).toBe('on_hold');
    const view = await signaturesView(`lot:${lotId}`);
    expect(view).toHaveLength(1);
    expect(view[0]).toMatchObject({ valid: false });
    expect(view[0].problems).toContain('signature was made for another record');
  });
});

/** The content hash a signature on `stream` must bind now. */
async function headContentHash(stream: string) {
  const state = await t.services.projector.replayedStateAt<object>(
    stream,
    (await t.services.ledger.head(stream))!.version,
  );
  return contentHashOf(recordTypeOf(stream)!.content(state!));
}
