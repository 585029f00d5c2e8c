import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSuite } from './support/suite.ts';
import { field, tid } from './support/ui.ts';

// Genealogy and KPI drill-down through the browser on the demo company (issue 13, "Done when":
// trace a lot both ways; open the dashboard and drill down to the records), in both languages:
// a finished lot traced backward reaches the component lot its work order consumed, that component
// traced forward reaches the finished lot, and each row links to its record; a KPI opens the
// records it counted, each linked to its page.
const { ctx, asUser } = browserSuite();

/** A demo finished lot, the work order that made it and one component lot it consumed. */
async function demoChain() {
  const db = ctx.server.services.db;
  for (const wo of await db
    .collection<{ _id: string; materials: Array<{ lotId: string }> }>('workorders')
    .find({ 'materials.0': { $exists: true } })
    .toArray()) {
    const finished = await db.collection<{ _id: string }>('lots').findOne({ workOrderId: wo._id });
    if (finished) return { finished: finished._id, workOrder: wo._id, component: wo.materials[0].lotId };
  }
  throw new Error('the demo has no produced lot with consumed materials');
}

async function trace(page: Page, direction: 'backward' | 'forward', lot: string) {
  await page.click(`${tid('trace-direction')} .el-radio-button:nth-child(${direction === 'backward' ? 1 : 2})`);
  await page.fill(field('trace-input'), lot);
  await page.click(tid('trace-run'));
}

describe.each(['en-US', 'zh-CN'] as const)('genealogy and KPI drill-down in the browser (%s)', (locale) => {
  it('traces a finished lot backward and its component forward, each row linked to its record', async () => {
    const chain = await demoChain();
    const page = await asUser(locale, 'qa.manager');
    await page.goto('/trace');
    await trace(page, 'backward', chain.finished);
    await page.waitForSelector(tid(`trace-link-${chain.component}`));
    expect(await page.locator(`${tid('trace-rows')} .el-table__row`).count()).toBeGreaterThan(2);
    await page.waitForSelector(tid(`trace-link-${chain.workOrder}`));
    await page.click(tid(`trace-link-${chain.component}`));
    await page.waitForSelector(tid('lot-header'));
    expect(new URL(page.url()).pathname).toBe(`/lots/${chain.component}`);

    await page.goto('/trace');
    await trace(page, 'forward', chain.component);
    await page.waitForSelector(tid('trace-summary'));
    await page.waitForSelector(tid(`trace-link-${chain.finished}`));
    await page.click(tid(`trace-link-${chain.workOrder}`));
    await page.waitForSelector(tid('workorder-header'));
    expect(new URL(page.url()).pathname).toBe(`/workorders/${chain.workOrder}`);
    await page.context().close();
  });

  it('opens the KPI dashboard and drills down from a chart bar and from a KPI to the records counted', async () => {
    const page = await asUser(locale, 'qa.manager');
    // the QA manager's home page: their dashboard above the inbox (four KPIs); a tile opens the full one
    await page.goto('/');
    const tile = page.locator(tid('home-kpi-incident_rate'));
    await tile.waitFor();
    expect(await page.locator(`${tid('home-dashboard')} a.tile`).count()).toBe(4);
    const [listed] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/kpis'),
      tile.click(),
    ]);
    await page.waitForSelector(tid('kpi-card-inspection_wait'));

    // a bar of the supplier scorecard (pass rates of 80-100 %: every bar crosses the chart's middle).
    // The plot's place inside the canvas depends on the axis labels, so the click moves across the
    // middle line until it lands on a bar and the drill-down opens.
    const kpis = (await listed.json()) as Array<{ id: string; series: Array<{ label: string }> }>;
    const labels = kpis.find((k) => k.id === 'supplier_scorecard')!.series.map((p) => p.label);
    const chart = page.locator(`${tid('kpi-card-supplier_scorecard')} ${tid('kpi-chart')}`);
    await chart.scrollIntoViewIfNeeded();
    await page.waitForTimeout(1000); // the bars' entry animation
    const box = (await chart.boundingBox())!;
    const drawer = page.locator('.el-drawer:visible');
    for (let x = 0.1; x < 0.95 && !(await drawer.count()); x += 0.04)
      await chart.click({ position: { x: box.width * x, y: box.height * 0.45 } });
    await drawer.locator(tid('kpi-record-link')).first().waitFor();
    const title = await drawer.locator('.el-drawer__header').innerText();
    expect(labels.some((l) => title.includes(l))).toBe(true);
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });

    await page.click(tid('kpi-records-inspection_wait'));
    const link = page.locator(`${tid('kpi-records-table')} ${tid('kpi-record-link')}`).first();
    await link.waitFor();
    const href = (await link.getAttribute('href'))!;
    expect(href).toMatch(/^\/inspections\//);
    await link.click();
    await page.waitForSelector('.record-header');
    expect(new URL(page.url()).pathname).toBe(href);
    await page.context().close();
  });
});
