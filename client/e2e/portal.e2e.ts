import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { browserSuite } from './support/suite.ts';
import { field, pickOption, tid } from './support/ui.ts';

// The auditor portal through the browser: an administrator grants the auditor the infusion-set
// family; the auditor lands on the portal (nothing else in the menu), reads an in-scope record
// with its signatures and ledger check, and downloads the evidence bundle.
const { asUser } = browserSuite();

describe('auditor portal (en-US)', () => {
  it('lets an administrator grant an auditor read access to one device family', async () => {
    const page = await asUser('en-US', 'admin');
    await page.goto('/admin/audit-grants');
    await page.click(tid('grant-create'));
    await pickOption(page, 'grant-auditor', 'grant-auditor-option-auditor', 'Sarah');
    await pickOption(page, 'grant-items', 'grant-item-option-FG-IFS-20', 'FG-IFS');
    await page.fill(field('grant-purpose'), 'e2e surveillance audit: infusion sets');
    await page.click(tid('grant-submit'));
    await page
      .locator(`${tid('grant-table')} ${tid('grant-status-active')}`)
      .first()
      .waitFor();
    await page.context().close();
  });

  it('lands the auditor on the portal with only in-scope records, signatures, ledger check and the bundle', async () => {
    const page = await asUser('en-US', 'auditor');
    await page.waitForSelector(tid('portal'));
    expect(new URL(page.url()).pathname).toBe('/portal');
    expect(await page.locator(tid('menu-tasks')).count()).toBe(0);
    expect(await page.locator(tid('menu-production')).count()).toBe(0);
    await page.goto('/workorders');
    await page.waitForSelector(tid('portal'));
    expect(new URL(page.url()).pathname).toBe('/portal');
    await page.click(tid('portal-type-dmr'));
    await page
      .locator(`${tid('portal-records')} .el-table__row`)
      .first()
      .click();
    await page.waitForSelector(tid('portal-chain-ok'));
    // read like the PDF: named fields, no ids or hashes among them; those sit in the technical section
    const fields = await page.locator(tid('portal-record-fields')).innerText();
    expect(fields).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-|[0-9a-f]{64}/);
    const units = new Set(['kPa', 'mL', 'mA', 'mmHg', 'mPa']); // unit symbols are mixed case by right
    const camel = (fields.match(/\b[a-z]+[A-Z][a-zA-Z]*\b/g) ?? []).filter((w) => !units.has(w));
    expect(camel).toEqual([]); // no camelCase keys as labels
    expect(await page.locator(tid('portal-record-technical')).count()).toBe(1);
    await page.click('#tab-signatures');
    await page.waitForSelector(`${tid('signature-list')} ${tid('signature-valid')}`);
    expect(await page.locator('[data-test^="workorder-action"], [data-test$="-create"]').count()).toBe(0);

    await page.goBack();
    await page.waitForSelector(tid('portal-bundle'));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(tid('portal-bundle'))]);
    const bundle = JSON.parse(await readFile((await download.path())!, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(bundle).length).toBeGreaterThan(0);
    await page.context().close();
  });
});
