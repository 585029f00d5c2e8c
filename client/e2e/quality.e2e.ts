import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../seed/demo-users.ts';
import { browserSuite } from './support/suite.ts';
import type { UiLocale } from './support/browser.ts';
import { field, signInDialog, tid } from './support/ui.ts';

// The quality loop clicked through in each language (ISO 13485:2016 8.2.2, 8.3, 8.5.2; QMSR
// 820.35(a)): QA's engineer records a complaint on a released infusion-set lot, opens an NC from
// it and scraps the affected quantity, raises a CAPA from the NC that she owns, decides it, records
// a 5 Why investigation, adds and completes an action and verifies no harm (8.5.2 e/f); the QA
// manager (not the owner) closes it and records its effectiveness check; the complaint's loop
// links then reach the NC and the CAPA. Nothing is set up through the API: only the lot number is
// read from the seeded demo company.
const { ctx, asUser } = browserSuite();

const TEXT: Record<UiLocale, Record<string, string>> = {
  'en-US': {
    open: 'Open',
    scrap: 'Scrap',
    inProgress: 'In progress',
    fiveWhy: '5 Why',
    check: 'Effectiveness check',
    closed: 'Closed',
    effective: 'Effective',
    loop: 'Quality loop',
    ncs: 'Nonconformances',
    openNc: 'Open an NC',
  },
  'zh-CN': {
    open: '待处理',
    scrap: '报废',
    inProgress: '进行中',
    fiveWhy: '5 Why 分析',
    check: '有效性验证',
    closed: '已关闭',
    effective: '有效',
    loop: '质量闭环',
    ncs: '不合格',
    openNc: '开立不合格',
  },
};

/**
 * A released lot of the infusion set made by a work order, read once: the first NC puts it on
 * hold, and the second language's complaint and NC name the same (now held) lot.
 */
let lotNumber: Promise<string> | null = null;
function releasedLot(): Promise<string> {
  lotNumber ??= ctx.server.services.db
    .collection<{ lotNumber: string }>('lots')
    .findOne({ 'item.partNumber': 'FG-IFS-20', status: 'released', workOrderId: { $ne: null } })
    .then((lot) => lot!.lotNumber);
  return lotNumber;
}

/** Picks the visible option of an open Element Plus select whose text contains `text`. */
async function choose(page: Page, select: string, text: string) {
  await page.click(select);
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click();
}

const headerTag = (page: Page, header: string, text: string) =>
  page
    .locator(`${tid(header)} .el-tag`, { hasText: text })
    .first()
    .waitFor();

/** The CAPA action `action` from the bar: its form filled by `fill`, then signed when `signed`. */
async function capaStep(page: Page, action: string, fill: () => Promise<void>, signed: boolean) {
  await page.click(tid(`capa-${action}`));
  await page.locator(`${tid('capa-form')}:visible`).waitFor();
  await fill();
  await page.click(tid('capa-form-next'));
  if (signed) await signInDialog(page, DEMO_PASSWORD);
  await page.locator(`${tid('capa-form')}:visible`).waitFor({ state: 'hidden' });
}

async function walk(locale: UiLocale) {
  const T = TEXT[locale];
  const tag = `${locale} ${Date.now()}`;
  const lot = await releasedLot();

  // QA engineer: complaint → NC → disposition → CAPA, worked up to its verification
  const eng = await asUser(locale, 'qa.engineer');
  await eng.click(tid('menu-complaints'));
  await eng.click(tid('complaints-create'));
  await eng.fill(field('complaint-lot'), lot);
  await eng.fill(field('complaint-name'), `Ward 5 ${tag}`);
  await eng.fill(field('complaint-address'), '1 Hospital Road, Suzhou');
  await eng.fill(field('complaint-phone'), '+86 512 0000 0000');
  await eng.fill(field('complaint-nature'), `Infusion set leaked at the drip chamber (${tag})`);
  await choose(eng, tid('complaint-codes-A'), 'A0201');
  await eng.mouse.click(5, 5);
  await eng.click(tid('complaint-save'));
  await eng.locator(`${tid('complaint-dialog')}`).waitFor({ state: 'hidden' });
  await eng.locator(`${tid('complaints-table')} tr`, { hasText: `Ward 5 ${tag}` }).click();
  await eng.waitForURL('**/complaints/*');
  const complaintUrl = eng.url();
  expect(await eng.textContent(tid('complaint-status'))).toBe(T.open);
  const complaintNumber = (await eng.textContent(`${tid('complaint-header')} .number`))!.trim();

  expect(await eng.textContent(tid('complaint-open-nc'))).toContain(T.openNc);
  await eng.click(tid('complaint-open-nc'));
  await eng.fill(field('complaint-nc-description'), `Leak at the drip chamber (${tag})`);
  await eng.click(tid('complaint-nc-save'));
  await eng.waitForURL('**/ncs/*');
  await eng.locator(tid('nc-header')).waitFor();
  const ncNumber = (await eng.textContent(`${tid('nc-header')} .number`))!.trim();

  await eng.click(tid(`nc-lot-${lot}-dispose`));
  await choose(eng, tid('nc-form-decision'), T.scrap);
  await eng.fill(field('nc-form-justification'), 'Leaking units cannot be reworked');
  await eng.click(tid('nc-form-next'));
  await signInDialog(eng, DEMO_PASSWORD);
  await eng.click('#tab-dispositions');
  await eng
    .locator(`${tid('nc-dispositions')} td`, { hasText: T.scrap })
    .first()
    .waitFor();

  await eng.click(tid('nc-raise-capa'));
  await eng.waitForURL('**/capas?nc=*');
  await eng.fill(field('capa-title'), `Drip chamber leak ${tag}`);
  await eng.fill(field('capa-problem'), 'Infusion sets leak at the drip chamber weld during priming');
  await eng.click(tid('capa-owner'));
  await eng.click(`${tid('capa-owner-option-qa.engineer')}:visible`);
  await eng.click(tid('capa-create'));
  await eng.locator(tid('capa-dialog')).waitFor({ state: 'hidden' });
  await eng.locator(`${tid('capa-list')} tr`, { hasText: `Drip chamber leak ${tag}` }).click();
  await eng.waitForURL('**/capas/*');
  const capaUrl = eng.url();
  const capaNumber = (await eng.textContent(`${tid('capa-header')} .number`))!.trim();

  await capaStep(eng, 'decide', () => eng.fill(field('capa-rationale'), 'Leak may cause serious injury'), true);
  await headerTag(eng, 'capa-header', T.inProgress);
  await capaStep(
    eng,
    'investigate',
    async () => {
      await eng.fill(field('capa-why-0'), 'Why did the set leak?');
      await eng.fill(field('capa-answer-0'), 'The drip chamber weld was too cold');
      await eng.fill(field('capa-root-cause'), 'Weld temperature lower limit set too low in the WI');
    },
    false,
  );
  expect(await eng.textContent(tid('capa-investigation'))).toContain(T.fiveWhy);
  await capaStep(
    eng,
    'add_task',
    async () => {
      await eng.fill(field('capa-text'), 'Raise the weld temperature limit');
      await eng.click(tid('capa-task-owner'));
      await eng.click(`${tid('capa-task-owner-qa.engineer')}:visible`);
    },
    false,
  );
  await eng.click('#tab-tasks');
  await eng.click(tid('capa-complete-A1'));
  await eng.fill(field('capa-text'), 'WI revised and weld limit raised');
  await eng.click(tid('capa-form-next'));
  await eng.locator(`${tid('capa-tasks')} td`, { hasText: 'WI revised and weld limit raised' }).waitFor();
  await capaStep(
    eng,
    'verify',
    async () => {
      await eng.fill(field('capa-safety'), 'No effect on sterility or flow');
      await eng.fill(field('capa-compliance'), 'Registered specifications unchanged');
    },
    true,
  );
  await eng.click('#tab-content');
  await eng.locator(tid('capa-content'), { hasText: 'No effect on sterility or flow' }).waitFor();
  await eng.context().close();

  // QA manager, not the CAPA's owner: closes it, then records its effectiveness check
  const qa = await asUser(locale, 'qa.manager');
  await qa.goto(capaUrl);
  await capaStep(qa, 'close', () => qa.fill(field('capa-criteria'), 'No leak complaint for 3 months'), true);
  await headerTag(qa, 'capa-header', T.check);
  await capaStep(qa, 'record_effectiveness', () => qa.fill(field('capa-text'), 'No leak since the change'), true);
  await headerTag(qa, 'capa-header', T.closed);
  await qa.click('#tab-tasks');
  await qa
    .locator(`${tid('capa-checks')} .el-tag`, { hasText: T.effective })
    .first()
    .waitFor();
  await qa.click('#tab-loop');
  const capaLoop = qa.locator(`${tid('quality-loop')}:visible`);
  await capaLoop.locator('a', { hasText: ncNumber }).waitFor();

  // the loop from the complaint's end: complaint → NC → CAPA
  await qa.goto(complaintUrl);
  await qa.click('#tab-links');
  const loop = qa.locator(`${tid('quality-loop')}:visible`);
  await loop.locator('a', { hasText: capaNumber }).waitFor();
  expect(await loop.textContent()).toContain(T.ncs);
  expect(await qa.textContent('body')).toContain(T.loop);
  await loop.locator('a', { hasText: ncNumber }).click();
  await qa.waitForURL('**/ncs/*');
  await qa.locator(`${tid('nc-header')} .number`, { hasText: ncNumber }).waitFor();
  await qa.click('#tab-loop');
  const ncLoop = qa.locator(`${tid('quality-loop')}:visible`);
  await ncLoop.locator('a', { hasText: complaintNumber }).waitFor();
  await ncLoop.locator('a', { hasText: capaNumber }).click();
  await qa.waitForURL(capaUrl);
  await headerTag(qa, 'capa-header', T.closed);
  await qa.context().close();
}

describe('the quality loop in the browser', () => {
  for (const locale of ['en-US', 'zh-CN'] as const)
    it(`walks complaint → NC → CAPA → effectiveness check (${locale})`, () => walk(locale));
});
