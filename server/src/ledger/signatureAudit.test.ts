import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, as, dbUri, type TestServer } from '../../test/harness.ts';
import { provenant } from '../../test/cli.ts';
import { hashEvent, type LedgerEvent } from './event.ts';
import { EVENTS, eventId } from './ledger.ts';
import type { Finding } from './verify.ts';

// Issue 9, finding 3 (the ledger half): `ledger verify` checks every e-signature, not only the hash
// chains, and names each invalid one with its stream and version, through the API and the CLI.
let t: TestServer;
const dbEnv = () => ({ MONGODB_URI: dbUri(t.services), DB_NAME: t.services.config.DB_NAME, DATA_DIR: t.dataDir });
const events = () => t.services.db.collection<LedgerEvent & { _id: string }>(EVENTS);

beforeAll(async () => {
  t = await startTestServer({ seed: true });
});
afterAll(async () => {
  await t?.stop();
});

/** Appends `e`'s body to `stream` straight in the database, chain recomputed, as a forger with write access would. */
async function forgeOnto(
  stream: string,
  e: LedgerEvent,
  change: (d: Record<string, any>) => void = () => undefined,
): Promise<number> {
  const head = (await events().find({ stream }).sort({ version: -1 }).limit(1).next())!;
  const { hash: _h, seal: _s, _id: _i, ...body } = e as LedgerEvent & { seal?: string; _id?: string };
  const data = structuredClone(body.data) as Record<string, any>;
  change(data);
  const forged = {
    ...body,
    data,
    stream,
    version: head.version + 1,
    prevHash: head.hash,
    at: new Date().toISOString(),
  };
  await events().insertOne({ _id: eventId(stream, forged.version), ...forged, hash: hashEvent(forged as LedgerEvent) });
  return forged.version;
}
const signatureOf = async (prefix: string, meaning?: string) =>
  (await events().findOne({
    stream: { $regex: `^${prefix}:` },
    type: 'signature.applied',
    ...(meaning ? { 'data.meaning': meaning } : {}),
  }))!;

describe('ledger verify checks every signature', () => {
  it('is clean on the seeded company and counts the signatures it checked', async () => {
    const admin = await as(t.url, 'admin');
    const r = await admin.get('/api/v1/ledger/verify');
    expect(r.body.findings.filter((f: Finding) => f.kind === 'invalid-signature')).toEqual([]);
    expect(r.body.signatures).toBeGreaterThan(10);
  });

  it('names signatures copied onto other records and a re-hashed one whose meaning was changed', async () => {
    const approval = await signatureOf('document', 'approved');
    const otherDoc = (
      await events()
        .find({ stream: { $regex: '^document:' }, version: 1 })
        .toArray()
    ).find((e) => e.stream !== approval.stream)!.stream;
    const lotSig = await signatureOf('lot');
    const wo = (await events().findOne({ stream: { $regex: '^workorder:' }, version: 1 }))!.stream;
    const poSig = await signatureOf('po');
    const supplier = (await events().findOne({ stream: { $regex: '^supplier:' }, version: 1 }))!.stream;
    const training = await signatureOf('training');

    const cases = [
      { stream: otherDoc, version: await forgeOnto(otherDoc, approval), problem: /another record/ },
      { stream: wo, version: await forgeOnto(wo, lotSig), problem: /another record/ },
      { stream: supplier, version: await forgeOnto(supplier, poSig), problem: /another record/ },
      // on its own record, with the meaning changed and the chain recomputed: the server seal no longer matches
      {
        stream: training.stream,
        version: await forgeOnto(training.stream, training, (d) => {
          d.meaning = 'approved';
        }),
        problem: /seal does not verify/,
      },
    ];
    const admin = await as(t.url, 'qa.manager');
    const r = await admin.get('/api/v1/ledger/verify');
    expect(r.status).toBe(200);
    expect(r.body.ok).toBe(false);
    const invalid = r.body.findings.filter((f: Finding) => f.kind === 'invalid-signature');
    for (const c of cases) {
      expect(invalid, c.stream).toContainEqual(
        expect.objectContaining({ stream: c.stream, version: c.version, detail: expect.stringMatching(c.problem) }),
      );
    }
    // the originals still verify (the training one shares its id with its forged copy)
    expect(invalid.map((f: Finding) => `${f.stream} ${f.version} ${f.detail}`)).toHaveLength(cases.length);
    expect(invalid.find((f: Finding) => f.stream === training.stream)?.detail).toMatch(/already appears at version/);

    const cli = provenant(['ledger', 'verify'], dbEnv());
    expect(cli, cli.out).toMatchObject({ code: 1 });
    for (const c of cases) expect(cli.out).toContain(`FAIL ${c.stream} version ${c.version}: invalid-signature`);
  }, 300_000);
});
