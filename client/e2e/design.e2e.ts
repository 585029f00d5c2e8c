import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../seed/demo-users.ts';
import { browserSuite } from './support/suite.ts';
import type { UiLocale } from './support/browser.ts';
import { field, signInDialog, tid } from './support/ui.ts';

// Design controls clicked through in each language (ISO 13485:2016 7.3.3–7.3.6). A design
// engineer (the document author's role may write design elements) builds a trace chain need →
// input → output → verification in a new design project and sees each gap named by the gap check
// go as the chain grows (a need without an input, an input not traced, an input without an output,
// an input without a passing verification); a QA engineer, who wrote none of them, approves each
// by signature (4.2.4), and only the approved passing verification closes the last gap. Nothing
// is set up through the API.
const { asUser } = browserSuite();

const TEXT: Record<UiLocale, { noGaps: string }> = {
  'en-US': { noGaps: 'No gaps: every need' },
  'zh-CN': { noGaps: '无缺口' },
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

describe('design controls in the browser', () => {
  for (const locale of ['en-US', 'zh-CN'] as const) {
    it(`builds a trace chain and sees its gaps vanish (${locale})`, () => designJourney(locale));
  }
});
