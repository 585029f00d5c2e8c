import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../seed/demo-users.ts';
import { browserSuite } from './support/suite.ts';
import type { UiLocale } from './support/browser.ts';
import { samplePdf } from './support/fixtures.ts';
import { documentState, field, pickOption, runDocumentAction, signInDialog, tid } from './support/ui.ts';

// Design controls and change control clicked through in each language (ISO 13485:2016 7.3.2–7.3.7
// and 7.3.9). A design engineer (the document author's role may write design elements) builds a
// trace chain need → input → output → verification in a new design project and sees each gap
// named by the gap check go as the chain grows (a need without an input, an input without an
// output, an input without a passing verification); a QA engineer, who wrote none of them,
// approves each by signature (4.2.4), and only the approved passing verification closes the
// last gap. Then a change request (7.3.9) naming a new work instruction's draft revision: the
// impact assessment answered, the revision reviewed and approved (held by the change, not
// effective alone), the change board approves by signature and implements it, and the named
// revision becomes effective with it. Nothing is set up through the API.
const { asUser } = browserSuite();

const TEXT: Record<UiLocale, { noGaps: string; effective: string; implemented: string; probability: string }> = {
  'en-US': {
    noGaps: 'No gaps: every need',
    effective: 'Effective',
    implemented: 'Implemented',
    probability: 'A probability above 0, at most 1',
  },
  'zh-CN': { noGaps: '无缺口', effective: '生效', implemented: '已实施', probability: '概率须大于 0 且不超过 1' },
};

const gap = (page: Page, kind: string, code: string) => page.locator(tid(`design-gap-${kind}-${code}`));

async function addElement(page: Page, kind: string, code: string, en: string, zh: string, pass = false) {
  await page.click(tid('design-el-add'));
  const form = page.locator(`${tid('design-element-form')}:visible`);
  await form.waitFor();
  await page.click(tid('design-el-kind'));
  await page.click(`${tid(`design-el-kind-${kind}`)}:visible`);
  await page.fill(field('design-el-code'), code);
  await page.fill(field('design-el-zh'), zh);
  await page.fill(field('design-el-en'), en);
  if (pass) {
    await page.fill(field('design-el-protocol'), 'Occlusion alarm test per protocol VP-01');
    await page.click(tid('design-el-result-pass'));
    await page.fill(field('design-el-evidence'), 'TR-2026-001');
  }
  await page.click(tid('design-el-save'));
  await form.waitFor({ state: 'hidden' });
  await page
    .locator(`${tid('design-elements')} td`, { hasText: code })
    .first()
    .waitFor();
}

async function link(page: Page, from: string, to: string) {
  await page.click(tid('design-link-from'));
  await page.click(`${tid(`design-link-from-${from}`)}:visible`);
  await page.click(tid('design-link-to'));
  await page.click(`${tid(`design-link-to-${to}`)}:visible`);
  await page.click(tid('design-link-add'));
}

/** Runs a bar action, confirming or signing as the page asks. */
async function barAction(page: Page, id: string) {
  await page.click(tid(id));
  const dialog = page.locator(`${tid('signature-dialog')}:visible`);
  const confirm = page.locator('.el-message-box:visible .el-button--primary');
  await Promise.race([dialog.waitFor(), confirm.waitFor()]);
  if (await dialog.count()) await signInDialog(page, DEMO_PASSWORD);
  else await confirm.click();
}

async function designJourney(locale: UiLocale) {
  const tag = `${locale} ${Date.now()}`;
  const eng = await asUser(locale, 'author');
  await eng.click(tid('menu-design'));
  await eng.click(tid('design-new'));
  await eng.fill(field('design-title-zh'), `输液泵 v3 ${tag}`);
  await eng.fill(field('design-title-en'), `Infusion pump v3 ${tag}`);
  await eng.click(tid('design-item'));
  await eng.locator('.el-select-dropdown__item:visible').first().click();
  await eng.click(tid('design-create'));
  await eng.waitForURL('**/design-projects/*');
  const projectUrl = eng.url();

  await addElement(eng, 'need', 'UN-1', 'Stop the infusion on occlusion', '阻塞时停止输液');
  await gap(eng, 'need_without_input', 'UN-1').waitFor();

  await addElement(eng, 'input', 'IN-1', 'Occlusion alarm within 30 s', '30 秒内阻塞报警');
  await gap(eng, 'input_not_traced', 'IN-1').waitFor();
  await link(eng, 'UN-1', 'IN-1');
  await gap(eng, 'need_without_input', 'UN-1').waitFor({ state: 'detached' });
  await gap(eng, 'input_not_traced', 'IN-1').waitFor({ state: 'detached' });
  await gap(eng, 'input_without_output', 'IN-1').waitFor();

  await addElement(eng, 'output', 'OUT-1', 'Pressure sensor firmware spec', '压力传感器固件规格');
  await link(eng, 'IN-1', 'OUT-1');
  await gap(eng, 'input_without_output', 'IN-1').waitFor({ state: 'detached' });
  await gap(eng, 'input_without_passing_verification', 'IN-1').waitFor();

  await addElement(eng, 'verification', 'VER-1', 'Occlusion alarm test', '阻塞报警试验', true);
  await link(eng, 'OUT-1', 'VER-1');
  // a result counts once its revision is approved: the gap stays until then
  await gap(eng, 'input_without_passing_verification', 'IN-1').waitFor();
  // whoever wrote an element does not approve it (ISO 13485:2016 4.2.4)
  expect(await eng.locator(tid('design-element-VER-1-approve')).count()).toBe(0);
  await eng.context().close();

  const qa = await asUser(locale, 'qa.engineer');
  await qa.goto(projectUrl);
  for (const code of ['UN-1', 'IN-1', 'OUT-1', 'VER-1']) {
    await barAction(qa, `design-element-${code}-approve`);
    await qa.locator(tid(`design-element-${code}-revise`)).waitFor();
  }
  await gap(qa, 'input_without_passing_verification', 'IN-1').waitFor({ state: 'detached' });
  expect(await qa.locator(`${tid('design-gaps')} li`).count()).toBe(0);
  expect(await qa.textContent('body')).toContain(TEXT[locale].noGaps);
  const matrix = (await qa.textContent(tid('design-matrix')))!;
  for (const code of ['UN-1', 'IN-1', 'OUT-1', 'VER-1']) expect(matrix).toContain(code);
  await qa.locator(tid('design-export-dhf-start')).waitFor();
  await qa.locator(tid('design-export-trace-xlsx')).waitFor();
  await qa.context().close();
}

async function changeJourney(locale: UiLocale) {
  const T = TEXT[locale];
  const tag = `${locale}-${Date.now()}`;
  // the author drafts a new work instruction: its revision A is what the change will release
  const author = await asUser(locale, 'author');
  await author.click(tid('menu-new-document'));
  await author.fill(tid('document-title-zh'), `阻塞报警检验规程 ${tag}`);
  await author.fill(tid('document-title-en'), `Occlusion alarm test instruction ${tag}`);
  await pickOption(author, 'document-department', 'document-department-option-QA', 'QA');
  await pickOption(author, 'document-reviewers', 'document-reviewers-option-reviewer', 'reviewer');
  await pickOption(author, 'document-approvers', 'document-approvers-option-qa.manager', 'qa.manager');
  await author.click(tid('document-save'));
  await author.waitForSelector(tid('document-header'));
  const number = (await author.textContent(tid('document-number')))!.trim();
  const documentUrl = new URL(author.url()).pathname;
  if (await author.locator(tid('action-upload')).count()) {
    await author.setInputFiles(tid('document-upload-input'), {
      name: 'instruction.pdf',
      mimeType: 'application/pdf',
      buffer: samplePdf(number),
    });
    await author.waitForSelector(tid('content-preview'));
  }

  // the change request naming that revision, with its impact assessment
  await author.click(tid('menu-changes'));
  await author.click(tid('change-new'));
  await author.fill(field('change-form-title-zh'), `阻塞报警检验 ${tag}`);
  await author.fill(field('change-form-title-en'), `Occlusion alarm inspection ${tag}`);
  await author.fill(field('change-form-reason'), 'A tighter in-process check after a CAPA');
  await author.click(tid('change-form-items'));
  await author.click(`${tid(`change-form-item-${number}`)}:visible`);
  // close the multiple select's list inside the dialog (a click outside would close the dialog)
  await author.click(field('change-form-reason'));
  await author.click(tid('change-form-save'));
  await author.waitForURL('**/changes/*');
  const changeUrl = author.url();
  await author.click(tid('change-impact-verificationValidation-affected'));
  await author.fill(field('change-impact-verificationValidation-note'), 'Test method validated again');
  await author.fill(field('change-impact-function-note'), 'Not affected');
  await author.fill(field('change-rationale'), 'In-process control only; product unchanged');
  await author.click(tid('change-save'));
  await author.locator(tid('change-submit')).waitFor();
  await barAction(author, 'change-submit');
  await author.locator(tid('change-submit')).waitFor({ state: 'detached' });

  // the revision goes through its own review and approval under the change
  await author.goto(documentUrl);
  await runDocumentAction(author, 'submit', DEMO_PASSWORD);
  await author.waitForFunction(
    (selector) => document.querySelector(selector)?.getAttribute('data-state') !== 'draft',
    tid('document-state'),
  );
  await author.context().close();
  const reviewer = await asUser(locale, 'reviewer');
  await reviewer.goto(documentUrl);
  await runDocumentAction(reviewer, 'review', DEMO_PASSWORD);
  await reviewer.waitForFunction(
    (selector) => document.querySelector(selector)?.getAttribute('data-state') !== 'in_review',
    tid('document-state'),
  );
  await reviewer.context().close();

  const qa = await asUser(locale, 'qa.manager');
  await qa.goto(documentUrl);
  await runDocumentAction(qa, 'approve', DEMO_PASSWORD);
  await qa.waitForFunction(
    (selector) => document.querySelector(selector)?.getAttribute('data-state') !== 'approval',
    tid('document-state'),
  );
  // held by the open change: approved, not effective alone
  expect(await documentState(qa)).not.toBe('effective');

  // the change board approves by signature, then implements: the revision is effective with it
  await qa.goto(changeUrl);
  await barAction(qa, 'change-approve');
  await qa.locator(tid('change-implement')).waitFor();
  await barAction(qa, 'change-implement');
  await qa.locator(`${tid(`change-item-${number}`)}[data-state="effective"]`).waitFor();
  expect(await qa.textContent(tid(`change-item-${number}`))).toBe(T.effective);
  expect(await qa.textContent(tid('change'))).toContain(T.implemented);
  await qa.goto(documentUrl);
  await qa.waitForSelector(`${tid('document-state')}[data-state="effective"]`);
  await qa.context().close();
}

/**
 * A hazard row added to the demo pump's risk file through its form (ISO 14971:2019 5.4, 5.5): a
 * probability of 0 is outside Annex C's (0, 1] and is named at its field, nothing sent; corrected,
 * the row is saved and listed with the file's rows.
 */
async function hazardRowJourney(locale: UiLocale) {
  const hazard = `Air in line ${locale} ${Date.now()}`;
  const qa = await asUser(locale, 'qa.engineer');
  await qa.click(tid('menu-risk'));
  await qa
    .locator(`${tid('risk-files')} tr`, { hasText: 'FG-PMP-1' })
    .first()
    .click();
  await qa.waitForURL('**/risk-files/*');
  await qa
    .locator(`${tid('risk-hazards')} tbody tr`)
    .first()
    .waitFor();
  const before = await qa.locator(`${tid('risk-hazards')} tbody tr`).count();
  await qa.click(tid('riskfile-save_row'));
  const form = qa.locator(`${tid('risk-row-form')}:visible`);
  await form.waitFor();
  await qa.fill(field('risk-row-hazard'), hazard);
  await qa.fill(field('risk-row-sequence'), 'The set is primed incompletely; air reaches the patient line');
  await qa.fill(field('risk-row-situation'), 'Air bolus delivered to the patient');
  await qa.fill(field('risk-row-harm'), 'Air embolism');
  await qa.click(tid('risk-row-initial-severity'));
  await qa.locator('.el-select-dropdown__item:visible').last().click();
  await qa.fill(field('risk-row-initial-p1'), '0');
  await qa.fill(field('risk-row-initial-p2'), '0.5');
  await qa.press(field('risk-row-initial-p2'), 'Tab');
  await qa.click(tid('risk-row-save'));
  const p = form.locator('.el-form-item', { has: qa.locator(tid('risk-row-initial-p1')) });
  await p.locator('.el-form-item__error', { hasText: TEXT[locale].probability }).waitFor();
  expect(await qa.locator(`${tid('risk-hazards')} tbody tr`).count()).toBe(before);

  await qa.fill(field('risk-row-initial-p1'), '0.01');
  await qa.press(field('risk-row-initial-p1'), 'Tab');
  await qa.click(tid('risk-row-save'));
  await form.waitFor({ state: 'hidden' });
  await qa.locator(`${tid('risk-hazards')} tbody tr`, { hasText: hazard }).waitFor();
  expect(await qa.locator(`${tid('risk-hazards')} tbody tr`).count()).toBe(before + 1);
  await qa.context().close();
}

describe('design controls and change control in the browser', () => {
  for (const locale of ['en-US', 'zh-CN'] as const) {
    it(`builds a trace chain and sees its gaps vanish (${locale})`, () => designJourney(locale));
    it(`approves and implements a change naming a document revision (${locale})`, () => changeJourney(locale));
    it(`adds a hazard row to the pump's risk file, a bad probability named at its field (${locale})`, () =>
      hazardRowJourney(locale));
  }
});
