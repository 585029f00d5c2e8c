import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../seed/demo-users.ts';
import { browserSuite } from './support/suite.ts';
import { field, pickOption, signInDialog, tid } from './support/ui.ts';

// Procure-to-release through the browser: a purchaser orders from an approved supplier, the
// warehouse receives into quarantine, QA enters the inspection results and releases with a
// signature, and the lot's evidence shows the receipt, the inspection and the signed release.
const { asUser } = browserSuite();

const status = (page: Page, id: string) => page.locator(tid(id)).getAttribute('data-status');
const waitStatus = (page: Page, id: string, value: string) =>
  page.waitForFunction(([selector, v]) => document.querySelector(selector!)?.getAttribute('data-status') === v, [
    tid(id),
    value,
  ] as const);

const EXPECTED = {
  'en-US': { released: 'Released' },
  'zh-CN': { released: '放行' },
} as const;

describe.each(['en-US', 'zh-CN'] as const)(
  'purchase, receipt, inspection and release in the browser (%s)',
  (locale) => {
    let poUrl = '';
    let lotUrl = '';
    let inspectionUrl = '';

    it("refuses an order from a disqualified supplier with the server's message", async () => {
      const page = await asUser(locale, 'purchaser');
      await page.goto('/purchase-orders/new');
      await pickOption(page, 'po-supplier', 'po-supplier-option-SUP-ANPACK', 'ANPACK');
      await pickOption(page, 'po-item-0', 'po-item-option-PK-EOP-001', 'PK-EOP');
      await page.click(tid('po-save'));
      await page.locator('.el-message--error').waitFor();
      expect(new URL(page.url()).pathname).toBe('/purchase-orders/new');
      await page.context().close();
    });

    it('lets a purchaser order from an approved supplier (approved at once under the threshold)', async () => {
      const page = await asUser(locale, 'purchaser');
      await page.click(tid('menu-erp-supply'));
      await page.click(tid('menu-purchase-orders'));
      await page.click(tid('po-create'));
      await pickOption(page, 'po-supplier', 'po-supplier-option-SUP-HUASU', 'HUASU');
      await pickOption(page, 'po-item-0', 'po-item-option-RM-PVC-001', 'RM-PVC');
      await page.fill(field('po-quantity-0'), '100');
      await page.fill(field('po-price-0'), '1.5');
      await page.click(tid('po-save'));
      await page.waitForSelector(tid('po-header'));
      poUrl = new URL(page.url()).pathname;
      expect(await status(page, 'po-status')).toBe('draft');
      await page.click(tid('po-action-issue'));
      await page.click('.el-message-box:visible .el-button--primary');
      await waitStatus(page, 'po-status', 'approved');
      await page.context().close();
    });

    it('has the warehouse receive the goods into quarantine with the supplier lot and CoA', async () => {
      const page = await asUser(locale, 'warehouse');
      await page.goto(poUrl);
      await page.click(tid('po-action-receive'));
      const dialog = page.locator(`${tid('receive-dialog')}:visible`);
      await dialog.waitFor();
      await dialog.locator(field('receive-supplier-lot-1')).fill(`HS-E2E-${locale}`);
      await dialog.locator(field('receive-coa-1')).fill('COA-E2E.pdf');
      await dialog.locator(tid('receive-submit')).click();
      await waitStatus(page, 'po-status', 'received');
      await page.click('#tab-receipts');
      const lotLink = page.locator(`[data-test^="receipt-lot-"]`).first();
      lotUrl = (await lotLink.getAttribute('href'))!;
      inspectionUrl = (await page.locator(`[data-test^="receipt-inspection-"]`).first().getAttribute('href'))!;
      await page.goto(lotUrl);
      await page.waitForSelector(tid('lot-header'));
      expect(await status(page, 'lot-status')).toBe('quarantine');
      await page.context().close();
    });

    it('has QA enter the results against the sampling plan and release the lot with a signature', async () => {
      const inspector = await asUser(locale, 'qa.engineer');
      await inspector.goto(inspectionUrl);
      await inspector.waitForSelector(tid('sampling-plan'));
      const n = Number(await inspector.textContent(tid('plan-sample-size')));
      expect(n).toBeGreaterThan(0);
      // RM-PVC-001: outer diameter 3.9–4.1 mm, inner diameter 2.9–3.1 mm
      await inspector.fill(field('results-values-0'), Array(n).fill('4.0').join(' '));
      await inspector.fill(field('results-values-1'), Array(n).fill('3.0').join(' '));
      await inspector.click(tid('results-submit'));
      await waitStatus(inspector, 'inspection-result', 'pass');
      await inspector.context().close();

      const qa = await asUser(locale, 'qa.manager');
      await qa.goto(inspectionUrl);
      await qa.click('#tab-disposition');
      await qa.click(tid('disposition-release'));
      await signInDialog(qa, DEMO_PASSWORD);
      await qa.waitForSelector(tid('disposition-release-done'));
      await qa.context().close();
    });

    it("shows the receipt, the inspection and the release signature with a verified chain on the lot's evidence", async () => {
      const page = await asUser(locale, 'qa.manager');
      await page.goto(lotUrl);
      await page.waitForSelector(tid('lot-evidence'));
      expect(await status(page, 'lot-status')).toBe('released');
      await page.waitForSelector(tid('lot-chain-verified'));
      expect(await page.textContent(tid('evidence-receipt'))).toContain(`HS-E2E-${locale}`);
      expect(await page.locator(tid('evidence-inspection-result')).getAttribute('data-status')).toBe('pass');
      expect(await page.textContent(tid('evidence-disposition-signature'))).toContain(EXPECTED[locale].released);
      await page.click('#tab-signatures');
      await page.waitForSelector(`${tid('signature-list')} ${tid('signature-valid')}`);
      await page.click('#tab-audit');
      await page.waitForSelector(tid('chain-verified'));
      await page.context().close();
    });
  },
);
