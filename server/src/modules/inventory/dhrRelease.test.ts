import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, as, type Client, type TestServer } from '../../../test/harness.ts';

// Issue 9 (second review): a lot's release by its DHR is a cross-stream fact (the QA release is
// signed on the work order). The lot event carries that signature and the lot reducer counts it
// only when it is the producing order's sealed "released" signature, so an event written behind
// the command (here even by the server's own ledger, sealed) releases nothing.
let t: TestServer;
let qa: Client;
const API = '/api/v1';

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  qa = await as(t.url, 'qa.manager');
});
afterAll(async () => {
  await t?.stop();
});

describe("a DHR release on a lot counts only with its work order's QA release signature", () => {
  it("an inserted lot.releasedByDhr (no signature, or another order's) releases nothing; the real release does", async () => {
    const tasks = (await qa.get(`${API}/tasks`)).body as Array<{ kind: string; link: { id: string } }>;
    const waiting = (await qa.get(`${API}/workorders/${tasks.find((x) => x.kind === 'dhr_release')!.link.id}`)).body;
    const lotId = waiting.output.lotIds[0] as string;
    expect((await qa.get(`${API}/lots/${lotId}`)).body.status).toBe('quarantine');
    // a genuine QA release signature from another, closed order
    const closed = (await qa.get(`${API}/workorders?state=closed`)).body[0];
    const other = (await t.services.ledger.read(`workorder:${closed.id}`)).find(
      (e) => e.type === 'signature.applied' && (e.data as any).meaning === 'released',
    )!;
    expect(other).toBeTruthy();
    const lotStream = `lot:${lotId}`;
    // written by the server itself (sealed, hash-chained): stronger than a forger without the key
    for (const data of [
      { workOrder: waiting.number, workOrderId: waiting.id, signatureId: 'forged' },
      {
        workOrder: waiting.number,
        workOrderId: waiting.id,
        signatureId: (other.data as any).signatureId,
        signature: other.data,
      },
      {
        workOrder: closed.number,
        workOrderId: closed.id,
        signatureId: (other.data as any).signatureId,
        signature: other.data,
      },
      {
        workOrder: waiting.number,
        workOrderId: waiting.id,
        signatureId: 'x',
        signature: { ...(other.data as any), signatureId: 'x', stream: `workorder:${waiting.id}` },
      },
    ]) {
      await t.services.ledger.append(lotStream, 'lot.releasedByDhr', data);
      const lot = (await qa.get(`${API}/lots/${lotId}`)).body;
      expect(lot.status, JSON.stringify(data).slice(0, 120)).toBe('quarantine');
    }
    // the projection check agrees with the replay: nothing released behind the ledger's back
    const verify = await qa.get(`${API}/ledger/verify`);
    expect(JSON.stringify(verify.body.projections ?? verify.body).includes(lotStream)).toBe(false);
    // the real QA release releases the lot through its signature
    const released = await qa.post(`${API}/workorders/${waiting.id}/actions/qa_release`, {
      version: waiting.ledgerVersion,
      password: 'Provenant-demo-2026',
    });
    expect(released.status, JSON.stringify(released.body)).toBe(200);
    const lot = (await qa.get(`${API}/lots/${lotId}`)).body;
    expect(lot.status).toBe('released');
    const last = (await t.services.ledger.read(lotStream)).at(-1)!;
    expect(last.type).toBe('lot.releasedByDhr');
    expect((last.data as any).signature.stream).toBe(`workorder:${waiting.id}`);
  });
});
