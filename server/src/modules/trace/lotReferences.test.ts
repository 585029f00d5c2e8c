import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import { complaintBody, releasedProducedLot } from '../complaints/complaints.factory.ts';
import { lotOf, ncOn } from '../nc/nc.factory.ts';

// The lot's page lists every quality record that names it (ISO 13485:2016 7.5.9 traceability,
// 8.3 nonconforming product, 8.2.2 complaint handling): the NCs on it and the complaints about it,
// each with its number and a link; a lot nobody named lists none.
let t: TestServer;
let qaEng: Client, wh: Client;

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  [qaEng, wh] = await Promise.all(['qa.engineer', 'warehouse'].map((u) => as(t.url, u)));
});
afterAll(async () => {
  await t?.stop();
});

describe('lot references', () => {
  it('GET /lots/:id lists the NC opened on the lot and the complaint naming it, with their numbers', async () => {
    const { lot } = await releasedProducedLot(t);
    const nc = await ncOn(qaEng, lot._id, 1);
    const c = await qaEng.post('/api/v1/complaints', complaintBody(lot.lotNumber));
    expect(c.status).toBe(201);
    expect(c.body.lotId).toBe(lot._id);

    const r = await wh.get(`/api/v1/lots/${lot._id}`);
    expect(r.status).toBe(200);
    expect(r.body.references.nc).toContainEqual({
      id: nc.id,
      number: nc.number,
      status: 'open',
      summary: 'Luer caps with flash on the sealing face',
      link: { route: 'nc', id: nc.id },
    });
    expect(r.body.references.complaint).toContainEqual({
      id: c.body.id,
      number: c.body.number,
      status: 'open',
      summary: 'Infusion set leaked at the drip chamber during use.',
      link: { route: 'complaint', id: c.body.id },
    });
    expect(nc.number).toMatch(/^NC-\d{4}-\d{5}$/);
    expect(c.body.number).toMatch(/^CMP-\d{4}-\d{5}$/);

    const other = await lotOf(t, wh);
    const o = await wh.get(`/api/v1/lots/${other}`);
    expect(o.body.references).toEqual({ nc: [], complaint: [] });
  });
});
