import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../seed/demo-users.ts';
import { browserSuite } from './support/suite.ts';
import { samplePdf } from './support/fixtures.ts';
import { documentState, pickOption, runDocumentAction, signInDialog, tid } from './support/ui.ts';

// The controlled-document lifecycle through the browser: draft → review → approval → effective,
// then training lands in the inbox of the trained role and the signatures show their manifestation.
const { asUser } = browserSuite();

async function openTaskFor(page: Page, number: string) {
  await page.goto('/');
  await page.click(tid(`task-open-${number}`));
  await page.waitForSelector(tid('document-header'));
}

const EXPECTED = {
  'en-US': { effective: 'Effective', approvedWord: 'Approved', chain: 'Chain verified' },
  'zh-CN': { effective: '生效', approvedWord: '批准', chain: '哈希链已验证' },
} as const;

describe.each(['en-US', 'zh-CN'] as const)('document lifecycle in the browser (%s)', (locale) => {
  const suffix = `${locale}-${Date.now()}`;
  let number = '';
  let documentUrl = '';

  it('lets an author draft a document, attach its content and submit it', async () => {
    const page = await asUser(locale, 'author');
    await page.click(tid('menu-new-document'));
    await page.fill(tid('document-title-zh'), `清洁验证规程 ${suffix}`);
    await page.fill(tid('document-title-en'), `Cleaning validation procedure ${suffix}`);
    await pickOption(page, 'document-department', 'document-department-option-QA', 'QA');
    await pickOption(page, 'document-reviewers', 'document-reviewers-option-reviewer', 'reviewer');
    await pickOption(page, 'document-approvers', 'document-approvers-option-qa.manager', 'qa.manager');
    await pickOption(page, 'document-trainee-roles', 'document-trainee-roles-option-operator', '');
    await page.click(tid('document-save'));
    await page.waitForSelector(tid('document-header'));
    number = (await page.textContent(tid('document-number')))!.trim();
    documentUrl = new URL(page.url()).pathname;
    expect(number).not.toBe('');
    expect(await documentState(page)).toBe('draft');

    if (await page.locator(tid('action-upload')).count()) {
      await page.setInputFiles(tid('document-upload-input'), {
        name: 'procedure.pdf',
        mimeType: 'application/pdf',
        buffer: samplePdf(number),
      });
      await page.waitForSelector(`${tid('content-preview')}`);
    }
    await runDocumentAction(page, 'submit', DEMO_PASSWORD);
    await page.waitForFunction(
      (selector) => document.querySelector(selector)?.getAttribute('data-state') !== 'draft',
      tid('document-state'),
    );
    await page.context().close();
  });

  it('has the reviewer and the approver sign it in the browser until it is effective', async () => {
    const reviewer = await asUser(locale, 'reviewer');
    await openTaskFor(reviewer, number);
    await runDocumentAction(reviewer, 'review', DEMO_PASSWORD);
    await reviewer.waitForFunction(
      (selector) => document.querySelector(selector)?.getAttribute('data-state') !== 'in_review',
      tid('document-state'),
    );
    await reviewer.context().close();

    const approver = await asUser(locale, 'qa.manager');
    await openTaskFor(approver, number);
    await runDocumentAction(approver, 'approve', DEMO_PASSWORD);
    await approver.waitForSelector(`${tid('document-state')}[data-state="effective"]`);
    expect(await approver.textContent(tid('document-state'))).toContain(EXPECTED[locale].effective);
    await approver.context().close();
  });

  it('puts the training task in the inbox of a user of the trained role, who signs it off', async () => {
    const operator = await asUser(locale, 'operator');
    await operator.goto('/');
    const row = operator.locator('.el-table__row', { has: operator.locator(tid(`task-complete-${number}`)) });
    await row.waitFor();
    expect(await row.locator(tid('task-kind-training')).count()).toBe(1);

    // "Read and understood" only after the revision was opened: the inbox says so before any
    // signature and links to the document, whose page shows (and so opens) the file.
    expect(await operator.isDisabled(tid(`task-complete-${number}`))).toBe(true);
    const opened = operator.waitForResponse(
      (r) => r.request().method() === 'GET' && /\/revisions\/[^/]+\/content/.test(r.url()) && r.status() === 200,
    );
    await row.locator(tid('task-blocked-fix')).click();
    await opened;
    await operator.goto('/');
    await row.waitFor();
    await operator.waitForSelector(`${tid(`task-complete-${number}`)}:not([disabled])`);
    await operator.click(tid(`task-complete-${number}`));
    await signInDialog(operator, DEMO_PASSWORD);
    await row.waitFor({ state: 'detached' });
    await operator.context().close();
  });

  it('shows the signature manifestation and a verified audit trail on the document page', async () => {
    const page = await asUser(locale, 'qa.engineer');
    await page.goto(documentUrl);
    await page.waitForSelector(tid('document-header'));
    await page.click('#tab-signatures');
    const manifestations = page.locator(tid('signature-manifestation'));
    await manifestations.first().waitFor();
    const texts = await manifestations.allTextContents();
    expect(texts.length).toBeGreaterThanOrEqual(2);
    expect(texts.join('\n')).toContain(EXPECTED[locale].approvedWord);
    expect(texts.every((text) => / UTC/.test(text) || /\d{4}-\d{2}-\d{2}/.test(text))).toBe(true);
    expect(await page.locator(tid('signature-invalid')).count()).toBe(0);

    await page.click('#tab-audit');
    await page.waitForSelector(tid('chain-verified'));
    expect(await page.textContent(tid('chain-verified'))).toContain(EXPECTED[locale].chain);

    await page.click('#tab-training');
    await page.waitForSelector(`${tid('training-table')} .el-table__row`);
    expect(await page.locator(tid('training-done')).count()).toBeGreaterThanOrEqual(1);
    await page.context().close();
  });
});
