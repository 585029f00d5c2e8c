import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, DEMO_PASSWORD, startTestServer, TEST_ENV, type Client, type TestServer } from '../../test/harness.ts';
import { provenant } from '../../test/cli.ts';
import { addDays, todayUtc } from '../platform/dates.ts';
import { verifyServerLedger } from '../ledger/audit.ts';
import { itemId, orderOf, stockLot } from '../modules/sales/sales.factory.ts';
import { COMMAND_JOURNAL } from './commandJournal.ts';

// Issue 14 item 5: kill -9 the server after each write of a multi-record command, restart, and
// the ledger verifies and the records agree (no receipt without its lots, no issue on one side
// only). The crashing server is a separate process (`provenant start`) killed by its own
// PROVENANT_CRASH_AFTER_APPENDS hook; the restart is a normal server on the same data directory.
const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/provenant.js');
const sign = { password: DEMO_PASSWORD };
const today = todayUtc();
let prepared: string;
const ids: Record<string, string> = {};
const dirs: string[] = [];

/** Starts `provenant start` on `dir`; resolves with its URL and a promise of its exit signal. */
function startChild(dir: string, crashAfter: number) {
  const child = spawn(process.execPath, [BIN, 'start'], {
    env: {
      ...process.env,
      ...TEST_ENV(),
      DATA_DIR: dir,
      PROVENANT_SEED: 'never',
      PROVENANT_CRASH_AFTER_APPENDS: String(crashAfter),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<NodeJS.Signals | number | null>((r) => child.once('exit', (code, sig) => r(sig ?? code)));
  let out = '';
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    void exited.then(() => reject(new Error(`server exited before it was ready:\n${out}`)));
  });
  return { child, url, exited };
}

/** A normal start on `dir` (the engine of the killed process may take a moment to let go of its lock). */
async function restart(dir: string): Promise<TestServer> {
  for (let i = 0; ; i++) {
    try {
      return await startTestServer({ dataDir: dir, keepData: true });
    } catch (err) {
      if (i >= 240 || !/already in use/.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/**
 * For n = 1, 2, …: a copy of the prepared data, a server that kills itself after the n-th write
 * of the command, a restart, then the checks. Ends at the first n the command completes before.
 */
async function everyCrashPoint(
  user: string,
  command: (c: Client) => Promise<{ status: number }>,
  check: (t: TestServer, c: Client) => Promise<void>,
) {
  let completed = false;
  for (let n = 1; !completed && n <= 15; n++) {
    const dir = mkdtempSync(path.join(tmpdir(), 'provenant-crash-'));
    dirs.push(dir);
    cpSync(prepared, dir, { recursive: true });
    const { child, url, exited } = startChild(dir, n);
    const c = await as(await url, user);
    const answer = await command(c).catch(() => null); // the connection drops when the process dies
    if (answer) {
      expect(answer.status, `crash point ${n}`).toBeLessThan(300);
      completed = true;
      child.kill('SIGTERM');
    }
    const how = await exited;
    if (!completed) expect(how, `crash point ${n}`).toBe('SIGKILL');
    const t = await restart(dir);
    try {
      expect(await t.services.db.collection(COMMAND_JOURNAL).countDocuments({}), `crash point ${n}`).toBe(0);
      const report = await verifyServerLedger(t.services);
      expect(report.findings, `crash point ${n}`).toEqual([]);
      expect(report.ok).toBe(true);
      await check(t, await as(t.url, user));
    } finally {
      await t.stop();
    }
    if (n === 1) {
      // the operator's check, as a separate process on the stopped data directory
      const v = provenant(['ledger', 'verify'], { DATA_DIR: dir, NODE_ENV: 'test' });
      expect(v.code, v.out).toBe(0);
    }
  }
  expect(completed).toBe(true);
}

beforeAll(async () => {
  // the cases, prepared once on the demo company; each crash point starts from a copy
  const t = await startTestServer({ seed: true, keepData: true });
  try {
    const [purchaser, sup, wh, buyer, op, op2] = await Promise.all(
      ['purchaser', 'prod.supervisor', 'warehouse', 'purchaser', 'operator', 'operator2'].map((u) => as(t.url, u)),
    );
    const items = new Map<string, string>();
    for (const i of (await sup.get('/api/v1/items')).body) items.set(i.partNumber, i.id);
    // a receipt: an approved PO
    const po = await purchaser.post('/api/v1/purchase-orders', {
      supplier: 'SUP-JINGMO',
      lines: [{ itemId: items.get('CP-DRP-001'), quantity: 1000, unitPrice: 0.1, dueDate: addDays(today, 10) }],
    });
    expect(po.status).toBe(201);
    expect((await purchaser.post(`/api/v1/purchase-orders/${po.body.id}/issue`)).body.status).toBe('approved');
    ids.po = po.body.id;
    // a material issue: a released work order and a released lot of its BOM
    const wo = (
      await sup.post('/api/v1/workorders', {
        itemId: items.get('FG-IFS-20'),
        plannedQuantity: 100,
        plannedStart: today,
        plannedEnd: addDays(today, 2),
      })
    ).body;
    const rel = await sup.post(`/api/v1/workorders/${wo.id}/actions/release`, { version: wo.ledgerVersion, ...sign });
    expect(rel.status, JSON.stringify(rel.body)).toBe(200);
    ids.wo = wo.id;
    const sugg = (await wh.get(`/api/v1/workorders/${wo.id}/material-suggestions`)).body;
    const line = sugg.find((l: { suggestions: unknown[] }) => l.suggestions.length > 0);
    ids.issueLot = line.suggestions[0].lotId;
    // a completion: a serialized work order with its steps done
    const pmp = (
      await sup.post('/api/v1/workorders', {
        itemId: items.get('FG-PMP-1'),
        plannedQuantity: 2,
        plannedStart: today,
        plannedEnd: addDays(today, 2),
      })
    ).body;
    expect(
      (await sup.post(`/api/v1/workorders/${pmp.id}/actions/release`, { version: pmp.ledgerVersion, ...sign })).status,
    ).toBe(200);
    const eq = async (code: string, type: string) =>
      (
        await sup.post('/api/v1/equipment', {
          code,
          name: { zh: `设备 ${code}`, en: `Equipment ${code}` },
          type,
          location: 'PROD-1',
          calibrationIntervalDays: 365,
          lastCalibratedOn: addDays(today, -1),
        })
      ).body.id as string;
    const tq = await eq('C-TQ-01', 'Torque screwdriver');
    const sf = await eq('C-SF-01', 'Safety tester / flow analyzer');
    const go = (seq: number, values: Record<string, number>, e: string) =>
      op2.post(`/api/v1/workorders/${pmp.id}/steps/${seq}/perform`, { values, equipmentIds: [e], ...sign });
    expect((await go(10, { 'Screw torque': 0.6 }, tq)).status).toBe(200);
    expect((await go(20, { 'Earth leakage current': 100, 'Flow accuracy': 2 }, sf)).status).toBe(200);
    expect((await op.post(`/api/v1/workorders/${pmp.id}/steps/20/verify`, sign)).status).toBe(200);
    ids.pmp = pmp.id;
    ids.pmpScrap = pmp.serials[1];
    // a shipment: a confirmed order allocated from two released lots
    const FG = await itemId(wh, 'FG-IFS-20');
    await stockLot(t, wh, { quantity: 3, expiryInDays: 1 });
    await stockLot(t, wh, { quantity: 10, expiryInDays: 2 });
    const so = await orderOf(buyer, [{ itemId: FG, quantity: 5 }]);
    const alloc = await buyer.post(`/api/v1/sales-orders/${so.id}/allocate`, { lineId: '1' });
    expect(alloc.status, JSON.stringify(alloc.body)).toBe(200);
    ids.so = so.id;
  } finally {
    await t.stop();
  }
  prepared = t.dataDir;
}, 600_000);

afterAll(() => {
  for (const d of [...dirs, prepared]) if (d) rmSync(d, { recursive: true, force: true });
});

describe('a crash between the writes of a command is repaired at the next start', () => {
  it('a receipt: the PO records it exactly when its lot and inspection exist', { timeout: 900_000 }, async () => {
    await everyCrashPoint(
      'warehouse',
      (c) =>
        c.post(`/api/v1/purchase-orders/${ids.po}/receipts`, {
          lines: [{ lineNo: 1, quantity: 100, supplierLot: 'S-1' }],
        }),
      async (t, c) => {
        const po = (await c.get(`/api/v1/purchase-orders/${ids.po}`)).body;
        const received = po.lines[0].received as number;
        const lots = await t.services.db.collection('lots').find({ 'po.id': ids.po }).toArray();
        expect(lots.reduce((n, l) => n + (l.quantity as number), 0)).toBe(received);
        expect(po.receipts.length).toBe(lots.length);
        for (const l of lots) {
          expect((await c.get(`/api/v1/lots/${l._id}`)).status).toBe(200);
          expect((await c.get(`/api/v1/inspections/${l.inspectionId}`)).status).toBe(200);
        }
      },
    );
  });

  it('a material issue: the lot and the work order both record it, or neither', { timeout: 900_000 }, async () => {
    let before: number | null = null;
    await everyCrashPoint(
      'warehouse',
      (c) => c.post(`/api/v1/workorders/${ids.wo}/materials`, { lotId: ids.issueLot, quantity: 1 }),
      async (_t, c) => {
        const lot = (await c.get(`/api/v1/lots/${ids.issueLot}`)).body;
        const wo = (await c.get(`/api/v1/workorders/${ids.wo}`)).body;
        const issued = (wo.materials as Array<{ lotId: string; quantity: number }>)
          .filter((m) => m.lotId === ids.issueLot)
          .reduce((n, m) => n + m.quantity, 0);
        before ??= lot.quantity + issued;
        expect(lot.quantity + issued).toBe(before);
      },
    );
  });

  it('a completion: the work order is completed exactly when its output lot exists', { timeout: 900_000 }, async () => {
    await everyCrashPoint(
      'prod.supervisor',
      (c) =>
        c.post(`/api/v1/workorders/${ids.pmp}/complete`, {
          goodQuantity: 1,
          scrappedQuantity: 1,
          scrappedSerials: [ids.pmpScrap],
          reason: 'failed burn-in',
        }),
      async (_t, c) => {
        const wo = (await c.get(`/api/v1/workorders/${ids.pmp}`)).body;
        if (wo.state === 'completed') {
          expect(wo.output.lotIds).toHaveLength(1);
          expect((await c.get(`/api/v1/lots/${wo.output.lotIds[0]}`)).body).toMatchObject({ quantity: 1 });
        } else expect(wo.output ?? null).toBeNull();
      },
    );
  });

  it('a shipment: the order counts as shipped what its lots gave out', { timeout: 900_000 }, async () => {
    await everyCrashPoint(
      'warehouse',
      (c) => c.post(`/api/v1/sales-orders/${ids.so}/ship`, { carrier: 'SF Express', reference: 'SF-CRASH' }),
      async (t, c) => {
        const so = (await c.get(`/api/v1/sales-orders/${ids.so}`)).body;
        const shipped = so.lines[0].shipped as number;
        const lots = await t.services.db.collection('lots').find({ source: 'test-factory' }).toArray();
        const inField = (l: { inField?: Record<string, number> } & object) =>
          Object.values(l.inField ?? {}).reduce((m, q) => m + q, 0);
        const shippedFromLots = lots.reduce((n, l) => n + inField(l as { inField?: Record<string, number> }), 0);
        expect(shippedFromLots).toBe(shipped);
        expect([0, 5]).toContain(shipped);
      },
    );
  });
});
