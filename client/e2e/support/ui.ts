import type { Page } from 'playwright-core';

/** `[data-test="…"]`, the only hook the tests use to find interactive elements. */
export const tid = (id: string) => `[data-test="${id}"]`;

/** A text field by data-test: Element Plus puts it on the native input of el-input and on the wrapper of el-input-number. */
export const field = (id: string) => `${tid(id)} input, input${tid(id)}, textarea${tid(id)}, ${tid(id)} textarea`;

export async function login(page: Page, username: string, password: string) {
  await page.goto('/login');
  await page.fill(tid('login-username'), username);
  await page.fill(tid('login-password'), password);
  await page.click(tid('login-submit'));
  await page.waitForSelector(tid('current-user'));
}

/** Picks one option of a filterable Element Plus select by typing and clicking it. */
export async function pickOption(page: Page, selectId: string, optionId: string, filter: string) {
  await page.click(tid(selectId));
  await page.keyboard.type(filter);
  const option = page.locator(`${tid(optionId)}:visible`);
  await option.click();
  // A multiple select stays open after a pick; click outside so it doesn't cover the next field.
  await page.mouse.click(5, 5);
  await option.waitFor({ state: 'hidden' });
}

/** Fills the e-signature dialog (password; reason when asked) and signs. */
export async function signInDialog(page: Page, password: string, reason = 'e2e') {
  const dialog = page.locator(`${tid('signature-dialog')}:visible`);
  await dialog.waitFor();
  const passwordField = dialog.locator(tid('signature-password'));
  if (await passwordField.count()) await passwordField.fill(password);
  const reasonField = dialog.locator(tid('signature-reason'));
  if (await reasonField.count()) await reasonField.fill(reason);
  await dialog.locator(tid('signature-submit')).click();
  await dialog.waitFor({ state: 'hidden' });
}

/** Runs an action from the document's action bar, signing when the server asks for a signature. */
export async function runDocumentAction(page: Page, action: string, password: string) {
  await page.click(tid(`action-${action}`));
  const dialog = page.locator(`${tid('signature-dialog')}:visible`);
  const confirm = page.locator('.el-message-box:visible .el-button--primary');
  await Promise.race([dialog.waitFor(), confirm.waitFor()]);
  if (await dialog.count()) await signInDialog(page, password);
  else await confirm.click();
}

export async function documentState(page: Page): Promise<string | null> {
  return page.locator(tid('document-state')).getAttribute('data-state');
}
