import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { as, Client, DEMO_PASSWORD, startTestServer, type TestServer } from '../../test/harness.ts';
import { provenant } from '../../test/cli.ts';
import { addDays, todayUtc } from '../platform/dates.ts';
import { grantStatus } from './grants.ts';
import { verifyBundle } from '../ledger/bundle.ts';
import { RECORD_TYPES } from '../records/types.ts';

// The auditor portal through HTTP on the real engine, from the seeded demo company: an
// administrator grants the auditor one device family (the infusion set); the auditor sees that
// scope and nothing else, every page is on the ledger, and the evidence bundle verifies offline.
let t: TestServer;
let admin: Client, auditor: Client, qa: Client, sup: Client, wh: Client;
const items = new Map<string, string>();
const users = new Map<string, string>();
const today = todayUtc();
const sign = { password: DEMO_PASSWORD };
const enc = encodeURIComponent;
const ledgerCount = () => t.services.ledger.count();
let grantId = '';
let workOrder: { id: string; consumedLot: string } | null = null;

const grantBody = (over: Record<string, unknown> = {}) => ({
  auditorId: users.get('auditor'),
  from: today,
  to: addDays(today, 30),
  itemIds: [items.get('FG-IFS-20')],
  purpose: 'NMPA surveillance audit 2026: infusion sets',
  ...over,
});
const records = (id = grantId, type?: string) =>
  auditor.get(`/api/v1/portal/grants/${id}/records${type ? `?type=${type}` : ''}`);
const open = (stream: string, id = grantId) => auditor.get(`/api/v1/portal/grants/${id}/records/${enc(stream)}`);

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  [admin, auditor, qa, sup, wh] = await Promise.all(
    ['admin', 'auditor', 'qa.manager', 'prod.supervisor', 'warehouse'].map((u) => as(t.url, u)),
  );
  for (const i of (await admin.get('/api/v1/items')).body) items.set(i.partNumber, i.id);
  for (const u of (await admin.get('/api/v1/users')).body) users.set(u.username, u.id);
  // one infusion-set work order that consumed one PVC lot: that lot is in scope, other PVC lots are not
  const wo = await sup.post('/api/v1/workorders', {
    itemId: items.get('FG-IFS-20'),
    plannedQuantity: 10,
    plannedStart: today,
    plannedEnd: addDays(today, 2),
  });
  if (wo.status === 201) {
    const released = await sup.post(`/api/v1/workorders/${wo.body.id}/actions/release`, {
      version: wo.body.ledgerVersion,
      ...sign,
    });
    const pvc = (await wh.get(`/api/v1/workorders/${wo.body.id}/material-suggestions`)).body.find(
      (l: any) => l.partNumber === 'RM-PVC-001',
    );
    const lotId = pvc?.suggestions?.[0]?.lotId;
    if (
      released.status === 200 &&
      lotId &&
      (await wh.post(`/api/v1/workorders/${wo.body.id}/materials`, { lotId, quantity: 15 })).status === 200
    ) {
      workOrder = { id: wo.body.id, consumedLot: lotId };
    }
  }
});
afterAll(async () => {
  await t?.stop();
});

describe('granting access', () => {
  it('lets an administrator grant an auditor one device family for a date range', async () => {
    const r = await admin.post('/api/v1/audit-grants', grantBody());
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      auditor: { id: users.get('auditor'), name: 'Sarah Miller' },
      from: today,
      to: addDays(today, 30),
      status: 'active',
      revoked: null,
      scope: { items: [{ id: items.get('FG-IFS-20'), partNumber: 'FG-IFS-20' }] },
      grantedBy: expect.any(String),
      ledgerVersion: 1,
    });
    expect(r.body.stream).toBe(`auditgrant:${r.body.id}`);
    grantId = r.body.id;
    expect((await admin.get('/api/v1/audit-grants')).body.map((g: any) => g.id)).toContain(grantId);
    // the request's actor (identity/authenticate.ts) is the administrator who granted it
    const [issued] = await t.services.ledger.read(`auditgrant:${grantId}`);
    expect([issued.type, issued.actor.id, issued.reason]).toEqual([
      'grant.issued',
      users.get('admin'),
      grantBody().purpose,
    ]);
  });

  it('refuses non-auditors, bad dates, unknown or unfinished items, bad input and the wrong role, writing nothing', async () => {
    const before = await ledgerCount();
    const code = async (c: Client, body: unknown) => {
      const r = await c.post('/api/v1/audit-grants', body);
      return [r.status, r.body?.error?.code];
    };
    expect(await code(admin, grantBody({ auditorId: users.get('reviewer') }))).toEqual([400, 'GRANTEE_NOT_AUDITOR']);
    expect(await code(admin, grantBody({ auditorId: 'nobody' }))).toEqual([404, 'NOT_FOUND']);
    expect(await code(admin, grantBody({ from: addDays(today, 5), to: addDays(today, 4) }))).toEqual([
      400,
      'GRANT_BAD_DATES',
    ]);
    expect(await code(admin, grantBody({ from: addDays(today, -10), to: addDays(today, -1) }))).toEqual([
      400,
      'GRANT_BAD_DATES',
    ]);
    expect(await code(admin, grantBody({ to: addDays(today, 400) }))).toEqual([400, 'GRANT_BAD_DATES']);
    expect(await code(admin, grantBody({ from: '2026-02-30' }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(await code(admin, grantBody({ itemIds: ['no-such-item'] }))).toEqual([400, 'GRANT_ITEM_UNKNOWN']);
    expect(await code(admin, grantBody({ itemIds: [items.get('RM-PVC-001')] }))).toEqual([
      400,
      'GRANT_ITEM_NOT_FINISHED',
    ]);
    expect(await code(admin, grantBody({ itemIds: [] }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(await code(admin, { ...grantBody(), extra: 1 })).toEqual([400, 'VALIDATION_FAILED']);
    expect(await code(qa, grantBody())).toEqual([403, 'FORBIDDEN']);
    expect(await code(auditor, grantBody())).toEqual([403, 'FORBIDDEN']);
    expect((await new Client(t.url).post('/api/v1/audit-grants', grantBody())).status).toBe(401);
    expect((await qa.get('/api/v1/audit-grants')).status).toBe(403);
    expect(await ledgerCount()).toBe(before);
  });
});

describe('what the auditor sees', () => {
  it('lists their own grants, and exactly the records in scope', async () => {
    expect(workOrder, 'an infusion-set work order with issued material').not.toBeNull();
    const mine = await auditor.get('/api/v1/portal/grants');
    expect(mine.status).toBe(200);
    expect(mine.body.map((g: any) => g.id)).toEqual([grantId]);
    const list = (await records()).body as Array<{
      stream: string;
      type: string;
      number: string;
      title: any;
      state: string;
    }>;
    const dmrs = (await qa.get('/api/v1/dmrs')).body;
    const ifsDmr = dmrs.find((d: any) => d.item.partNumber === 'FG-IFS-20');
    const pumpDmr = dmrs.find((d: any) => d.item.partNumber === 'FG-PMP-1');
    const streams = new Set(list.map((r) => r.stream));
    expect(streams.has(`item:${items.get('FG-IFS-20')}`)).toBe(true);
    expect(streams.has(`dmr:${ifsDmr.id}`)).toBe(true);
    expect(
      list
        .filter((r) => r.type === 'document')
        .map((r) => r.title.en)
        .sort(),
    ).toEqual([
      'EO Sterilizer Operation Work Instruction',
      'Infusion Set Assembly Work Instruction',
      'Infusion Set Leak Test Work Instruction',
    ]);
    // nothing of the pump, nothing of other items
    expect(streams.has(`item:${items.get('FG-PMP-1')}`)).toBe(false);
    expect(streams.has(`dmr:${pumpDmr.id}`)).toBe(false);
    expect(list.filter((r) => r.type === 'item')).toHaveLength(1);
    // lots: the device's own lots and those its work orders consumed, nothing else
    const state = (stream: string) => t.services.projector.stateAt<any>(stream);
    const orders = await Promise.all(list.filter((r) => r.type === 'workorder').map((r) => state(r.stream)));
    expect(orders.every((w) => w.item.id === items.get('FG-IFS-20'))).toBe(true);
    const consumed = new Set(
      orders.flatMap((w) => [
        ...w.materials.map((m: any) => `lot:${m.lotId}`),
        ...(w.output?.lotIds ?? []).map((id: string) => `lot:${id}`),
      ]),
    );
    const lots = list.filter((r) => r.type === 'lot');
    for (const l of lots)
      expect([l.stream, (await state(l.stream)).item.id === items.get('FG-IFS-20') || consumed.has(l.stream)]).toEqual([
        l.stream,
        true,
      ]);
    for (const c of consumed) expect(streams.has(c)).toBe(true);
    if (workOrder) {
      expect(streams.has(`workorder:${workOrder.id}`)).toBe(true);
      expect(streams.has(`lot:${workOrder.consumedLot}`)).toBe(true);
    }
    expect((await records(grantId, 'document')).body).toHaveLength(3);
    expect((await records(grantId, 'nonsense')).status).toBe(400);
  });

  it('shows an in-scope record with its signatures and ledger check, and its audit trail', async () => {
    const ifsDmr = (await qa.get('/api/v1/dmrs')).body.find((d: any) => d.item.partNumber === 'FG-IFS-20');
    const r = await open(`dmr:${ifsDmr.id}`);
    expect(r.status).toBe(200);
    expect(r.body.record).toMatchObject({ id: ifsDmr.id, itemId: items.get('FG-IFS-20'), state: 'effective' });
    expect(r.body.record._id).toBeUndefined();
    // revision A's two signatures first (the demo change's revision B adds its own after them)
    expect(r.body.signatures.slice(0, 2).map((s: any) => [s.meaning, s.valid])).toEqual([
      ['reviewed', true],
      ['approved', true],
    ]);
    expect(r.body.signatures[0].manifestation).toBeTruthy();
    expect(r.body.ledger).toMatchObject({ ok: true, findings: [], head: { version: r.body.record.ledgerVersion } });
    const trail = await auditor.get(`/api/v1/portal/grants/${grantId}/records/${enc(`dmr:${ifsDmr.id}`)}/audit-trail`);
    expect(trail.status).toBe(200);
    expect(trail.body[0]).toMatchObject({
      version: 1,
      type: 'dmr.created',
      actor: expect.any(String),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('answers 404 for anything out of scope, and 403 outside the portal', async () => {
    const dmrs = (await qa.get('/api/v1/dmrs')).body;
    const pumpDmr = dmrs.find((d: any) => d.item.partNumber === 'FG-PMP-1');
    const inScope = new Set((await records()).body.map((r: any) => r.stream));
    const otherLots = (await qa.get('/api/v1/inventory')).body.filter((l: any) => !inScope.has(`lot:${l.id}`));
    const sop = (await qa.get('/api/v1/documents?pageSize=200')).body.items.find(
      (d: any) => d.type !== 'work_instruction',
    );
    for (const stream of [
      `dmr:${pumpDmr.id}`,
      `item:${items.get('FG-PMP-1')}`,
      `lot:${otherLots[0].id}`,
      `document:${sop.id}`,
      `user:${users.get('admin')}`,
      `auditgrant:${grantId}`,
    ]) {
      const r = await open(stream);
      expect([stream, r.status, r.body.error.code]).toEqual([stream, 404, 'NOT_FOUND']);
      expect((await auditor.get(`/api/v1/portal/grants/${grantId}/records/${enc(stream)}/audit-trail`)).status).toBe(
        404,
      );
    }
    expect((await open(`item:${items.get('FG-IFS-20')}`, 'no-such-grant')).status).toBe(404);
    expect((await auditor.get(`/api/v1/dmrs/${pumpDmr.id}`)).status).toBe(403);
    expect((await auditor.get(`/api/v1/records/${enc(`dmr:${pumpDmr.id}`)}/ledger`)).status).toBe(403);
    // someone with portal.grant is not an auditor: the portal routes are not theirs
    expect((await admin.get(`/api/v1/portal/grants/${grantId}/records`)).status).toBe(403);
  });

  it('serves the sealed PDF of an in-scope record (DHR, controlled copy, audit trail), and none out of scope', async () => {
    const list = (await records()).body as Array<{ stream: string; type: string }>;
    for (const type of ['document', 'dmr', 'workorder']) {
      const entry = list.find((x) => x.type === type)!;
      const r = await fetch(`${t.url}/api/v1/portal/grants/${grantId}/records/${enc(entry.stream)}/pdf`, {
        headers: { cookie: auditor.cookie },
      });
      const bytes = Buffer.from(await r.arrayBuffer());
      expect([type, r.status, r.headers.get('content-type')]).toEqual([type, 200, 'application/pdf']);
      expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
      // the file's hash is on the ledger, generated by the auditor
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const generated = await t.services.ledger.events.findOne({ type: 'export.generated', 'data.sha256': sha256 });
      expect(generated?.actor.id).toBe(users.get('auditor'));
    }
    const pump = `item:${items.get('FG-PMP-1')}`;
    expect((await auditor.get(`/api/v1/portal/grants/${grantId}/records/${enc(pump)}/pdf`)).status).toBe(404);
  });

  it('puts every page the auditor opened on the grant’s ledger, with the auditor as actor', async () => {
    const events = await t.services.ledger.read(`auditgrant:${grantId}`);
    const accesses = events.filter((e) => e.type === 'grant.accessed');
    expect(accesses.length).toBeGreaterThanOrEqual(4);
    expect(accesses.every((e) => e.actor.id === users.get('auditor'))).toBe(true);
    expect(accesses.map((e) => e.data.path)).toContain(`/api/v1/portal/grants/${grantId}/records`);
    expect(
      accesses.some((e) => typeof e.data.stream === 'string' && (e.data.stream as string).startsWith('dmr:')),
    ).toBe(true);
    // refused requests showed nothing and left nothing
    expect(accesses.some((e) => (e.data.stream as string | undefined)?.startsWith('user:'))).toBe(false);
    const ledger = await admin.get(`/api/v1/records/${enc(`auditgrant:${grantId}`)}/ledger`);
    expect(ledger.body.valid).toBe(true);
  });

  it('refuses every write by an auditor', async () => {
    const before = await ledgerCount();
    const lot = (await qa.get(`/api/v1/inventory?item=${items.get('RM-PVC-001')}`)).body[0];
    expect(
      (await auditor.post(`/api/v1/lots/${lot.id}/move`, { from: 'WH1-RAW-01', to: 'WH2-FG-01', quantity: 1 })).status,
    ).toBe(403);
    expect(
      (
        await auditor.post(`/api/v1/records/${enc(`item:${items.get('FG-IFS-20')}`)}/signatures`, {
          meaning: 'approved',
          version: 1,
          ...sign,
        })
      ).status,
    ).toBe(403);
    expect((await auditor.post(`/api/v1/audit-grants/${grantId}/revoke`, { reason: 'self-revoking' })).status).toBe(
      403,
    );
    expect(
      (await auditor.request('PUT', `/api/v1/portal/grants/${grantId}/records`, {})).status,
    ).toBeGreaterThanOrEqual(403);
    expect(await ledgerCount()).toBe(before);
  });
});

describe('grant dates and revocation', () => {
  it('computes status from today, inclusive at both ends', () => {
    const g = { from: '2026-03-01', to: '2026-03-31', revoked: null };
    expect(['2026-02-28', '2026-03-01', '2026-03-31', '2026-04-01'].map((d) => grantStatus(g, d))).toEqual([
      'scheduled',
      'active',
      'active',
      'expired',
    ]);
    expect(grantStatus({ ...g, revoked: { by: 'x', at: 'y', reason: 'z' } }, '2026-03-10')).toBe('revoked');
  });

  it('shows nothing through a future or expired grant', async () => {
    const future = await admin.post(
      '/api/v1/audit-grants',
      grantBody({ from: addDays(today, 3), to: addDays(today, 10) }),
    );
    expect(future.body.status).toBe('scheduled');
    const r = await records(future.body.id);
    expect([r.status, r.body.error.code]).toEqual([403, 'FORBIDDEN']);
    // a grant that has run out: written as the ledger would hold it once its end date passed
    const expiredId = randomUUID();
    await t.services.ledger.append(
      `auditgrant:${expiredId}`,
      'grant.issued',
      {
        auditor: { id: users.get('auditor')!, name: 'Sarah Miller', username: 'auditor' },
        from: addDays(today, -20),
        to: addDays(today, -1),
        scope: {
          items: [{ id: items.get('FG-IFS-20')!, partNumber: 'FG-IFS-20', name: { zh: '输液器', en: 'Infusion set' } }],
        },
        purpose: 'last month',
      },
      { expectedVersion: 0, actor: { id: users.get('admin')!, name: 'Admin', role: 'administrator' } },
    );
    const mine = (await auditor.get('/api/v1/portal/grants')).body;
    expect(mine.find((g: any) => g.id === expiredId).status).toBe('expired');
    expect((await records(expiredId)).status).toBe(403);
    expect((await auditor.get(`/api/v1/portal/grants/${expiredId}/bundle`)).status).toBe(403);
    expect(
      (await t.services.ledger.read(`auditgrant:${expiredId}`)).filter(
        (e) => e.type === 'grant.accessed' && e.data.path !== '/api/v1/portal/grants',
      ),
    ).toHaveLength(0);
  });

  it('revokes a grant (once), after which it shows nothing', async () => {
    const g = await admin.post('/api/v1/audit-grants', grantBody({ purpose: 'to be revoked' }));
    expect((await records(g.body.id)).status).toBe(200);
    expect((await admin.post(`/api/v1/audit-grants/${g.body.id}/revoke`, { reason: '' })).status).toBe(400);
    const revoked = await admin.post(`/api/v1/audit-grants/${g.body.id}/revoke`, { reason: 'audit closed early' });
    expect(revoked.body).toMatchObject({ status: 'revoked', revoked: { reason: 'audit closed early' } });
    const revokedEvent = (await t.services.ledger.read(`auditgrant:${g.body.id}`)).find(
      (e) => e.type === 'grant.revoked',
    );
    expect([revokedEvent?.actor.id, revokedEvent?.data, revokedEvent?.reason]).toEqual([
      users.get('admin'),
      { reason: 'audit closed early' },
      'audit closed early',
    ]);
    expect((await admin.post(`/api/v1/audit-grants/${g.body.id}/revoke`, { reason: 'again' })).status).toBe(409);
    expect((await records(g.body.id)).status).toBe(403);
    expect((await open(`item:${items.get('FG-IFS-20')}`, g.body.id)).status).toBe(403);
  });
});

describe('evidence bundle', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'evidence-'));
  const file = path.join(dir, 'evidence.json');
  const offline = { MONGODB_URI: 'mongodb://127.0.0.1:1/' }; // no database: the bundle alone

  it('downloads a scoped bundle that verifies offline with the CLI', async () => {
    const r = await auditor.get(`/api/v1/portal/grants/${grantId}/bundle`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-disposition')).toMatch(/attachment; filename="provenant-evidence-.*\.json"/);
    const bundle = r.body;
    expect(bundle.format).toBe('provenant-evidence-bundle/2');
    const inScope = new Set([...(await records()).body.map((x: any) => x.stream), `auditgrant:${grantId}`]);
    const streams = new Set<string>(bundle.events.map((e: any) => e.stream));
    expect([...streams].every((s) => inScope.has(s) || s.startsWith('export:'))).toBe(true);
    expect(streams.has(`item:${items.get('FG-PMP-1')}`)).toBe(false);
    expect(bundle.records.length).toBe(inScope.size - 1);
    // the DHR and the controlled copies, each the file whose hash the ledger holds
    const pdfStreams = bundle.pdfs.map((p: any) => p.stream);
    expect(pdfStreams).toContain(`workorder:${workOrder!.id}`);
    expect(pdfStreams.filter((x: string) => x.startsWith('document:'))).toHaveLength(3);
    expect(Buffer.from(bundle.pdfs[0].base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    // the bundle carries the record of its own download
    expect(bundle.events.some((e: any) => e.type === 'grant.accessed' && e.data.path.endsWith('/bundle'))).toBe(true);
    writeFileSync(file, JSON.stringify(bundle));
    const ok = provenant(['ledger', 'verify', '--bundle', file], offline);
    expect(ok.out).toContain('ledger verified');
    expect(ok.out).toContain(`evidence bundle for grant ${grantId}`);
    expect(ok.code).toBe(0);
  });

  it('names no record outside the grant: each head proved under the signed root instead (RFC 9162)', () => {
    const text = readFileSync(file, 'utf8');
    const bundle = JSON.parse(text);
    // no whole checkpoints (they listed every stream's head), no account streams, no other item
    expect(bundle.checkpoints.length).toBeGreaterThan(0);
    expect(bundle.checkpoints.every((c: any) => c.changed === undefined && /^[0-9a-f]{64}$/.test(c.changedHash))).toBe(
      true,
    );
    expect(text).not.toMatch(/username:|"user:/);
    expect(text).not.toContain(items.get('FG-PMP-1'));
    // one proof per carried stream, each against the checkpoint sealed for the download
    const carried = new Set<string>(bundle.events.map((e: any) => e.stream));
    const proved = bundle.proofs.map((p: any) => p.stream);
    expect(proved.every((s: string) => carried.has(s))).toBe(true);
    expect(new Set(proved).size).toBe(proved.length);
    expect(proved.length).toBeGreaterThanOrEqual(carried.size - 1); // the grant's own download may follow the checkpoint
    expect(
      bundle.proofs.every((p: any) => p.checkpointSeq === bundle.manifest.checkpointSeq && p.treeSize > carried.size),
    ).toBe(true);
    const report = verifyBundle(bundle);
    expect(report.uncovered).toBeLessThanOrEqual(1);
    // a proof that leads elsewhere is named with its stream and version, as an edited event is
    const p0 = bundle.proofs[0];
    const forged = {
      ...bundle,
      proofs: [{ ...p0, path: ['00'.repeat(32), ...p0.path.slice(1)] }, ...bundle.proofs.slice(1)],
    };
    expect(verifyBundle(forged).findings).toContainEqual(
      expect.objectContaining({ stream: p0.stream, version: p0.version, kind: 'checkpoint-mismatch' }),
    );
    // an entry that is not a proof at all is a finding too, never a crash of the verifier
    const junk = { ...bundle, proofs: [null, 7, ...bundle.proofs] };
    expect(verifyBundle(junk).findings).toContainEqual(
      expect.objectContaining({ stream: '(proof)', kind: 'checkpoint-mismatch' }),
    );
  });

  it('reports a one-byte edit anywhere it matters', () => {
    expect(verifyBundle(JSON.parse(readFileSync(file, 'utf8'))).ok).toBe(true);
    const text = readFileSync(file, 'utf8');
    // [what, the section's key, a marker inside it]: the file is canonical JSON, keys in order
    const edits = [
      ['a record', '"records":[', '"partNumber":"'],
      ['an event', '"events":[', '"type":"dmr.'],
      ['a checkpoint', '"checkpoints":[', '"root":"'],
      ['a PDF', '"pdfs":[', '"base64":"'],
      ['the grant', '"grant":{', '"purpose":"'],
      ['the scope', '"scope":[', '"number":"'],
      ['the manifest', '"manifest":{', '"grantId":"'],
    ] as const;
    for (const [what, section, marker] of edits) {
      const at = text.indexOf(marker, text.indexOf(section));
      expect(at, what).toBeGreaterThan(-1);
      const i = at + marker.length + 1;
      const c = text[i];
      const tampered =
        text.slice(0, i) + (c === 'a' ? 'b' : c === '0' ? '1' : /[0-9]/.test(c) ? '0' : 'a') + text.slice(i + 1);
      // the verifier the CLI runs, in-process (one CLI run below is enough to prove the wiring)
      const report = verifyBundle(JSON.parse(tampered));
      expect([what, report.ok]).toEqual([what, false]);
      if (what === 'a PDF')
        expect(report.findings.some((f) => f.stream.startsWith('export:') && f.kind === 'edited')).toBe(true);
      if (what === 'an event') {
        const f = path.join(dir, 'tampered-event.json');
        writeFileSync(f, tampered);
        const bad = provenant(['ledger', 'verify', '--bundle', f], offline);
        expect(bad.code).toBe(1);
        expect(bad.out).toMatch(/FAIL dmr:\S+ version 1: edited/);
      }
    }
    // and one that breaks the JSON itself
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, `${text.slice(0, -1)}]`);
    expect(provenant(['ledger', 'verify', '--bundle', broken], offline).code).toBe(1);
  });
});

describe('typed events', () => {
  it('every event on a grant, export, item, location, customer or user stream fits its context’s events.ts', async () => {
    const streams = /^(auditgrant|export|item|location|customer|user):/;
    const all = await t.services.ledger.events.find({ stream: { $regex: streams.source } }).toArray();
    // the seeded company's master data, accounts and sign-ins, and this file's grants and exports
    for (const type of [
      'item.created',
      'location.created',
      'customer.created',
      'user.created',
      'grant.revoked',
      'export.generated',
    ]) {
      expect([type, all.some((e) => e.type === type)]).toEqual([type, true]);
    }
    const misfits = all.flatMap((e) => {
      const catalog = RECORD_TYPES.find((r) => e.stream.startsWith(`${r.type}:`))?.events;
      const problem = catalog ? catalog.problem({ type: e.type, data: e.data }) : 'no events.ts';
      return problem ? [`${e.stream} v${e.version}: ${problem}`] : [];
    });
    expect(misfits).toEqual([]);
  });
});

describe('a granted device’s DHF, risk file and changes (issue 12 item 5)', () => {
  it('shows the pump’s design project, every element, risk plan and file through a pump grant; none through the set’s', async () => {
    const pump = items.get('FG-PMP-1')!;
    const project = (await qa.get('/api/v1/design-projects')).body.find((p: any) => p.item.partNumber === 'FG-PMP-1');
    const els = (await qa.get(`/api/v1/design-projects/${project.id}/elements`)).body as any[];
    expect(els.length).toBeGreaterThan(0);
    const changes = (await qa.get('/api/v1/changes')).body as any[];
    const leak = (Array.isArray(changes) ? changes : (changes as any).items).find((c: any) =>
      c.title.en.startsWith('Leak test'),
    );
    // the set's grant: the demo change names the set's DMR and leak-test WI; nothing of the pump's DHF or risk file
    const setStreams = new Set((await records()).body.map((r: any) => r.stream));
    expect(setStreams.has(`change:${leak.id}`)).toBe(true);
    for (const stream of [
      `designproject:${project.id}`,
      `designelement:${els[0].id}`,
      `riskfile:${pump}`,
      `riskplan:${pump}`,
    ])
      expect([stream, (await open(stream)).status]).toEqual([stream, 404]);
    // a grant of the pump
    const g = await admin.post(
      '/api/v1/audit-grants',
      grantBody({ itemIds: [pump], purpose: 'Design and risk audit: infusion pump' }),
    );
    expect(g.status).toBe(201);
    const list = (await records(g.body.id)).body as any[];
    const streams = new Set(list.map((r) => r.stream));
    expect(streams.has(`designproject:${project.id}`)).toBe(true);
    expect(list.filter((r) => r.type === 'designelement')).toHaveLength(els.length);
    expect(streams.has(`riskplan:${pump}`)).toBe(true);
    expect(streams.has(`riskfile:${pump}`)).toBe(true);
    // the change names the set's DMR and WI, not the pump's records
    expect(streams.has(`change:${leak.id}`)).toBe(false);
    const rf = await open(`riskfile:${pump}`, g.body.id);
    expect(rf.status).toBe(200);
    expect(rf.body.record.rows).toHaveLength(15);
    expect((await open(`designelement:${els[0].id}`, g.body.id)).status).toBe(200);
    expect((await open(`change:${leak.id}`, g.body.id)).status).toBe(404);
    expect((await open(`change:${leak.id}`)).status).toBe(200);
  });
});
