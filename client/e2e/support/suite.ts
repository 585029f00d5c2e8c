import { afterAll, beforeAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../../../server/test/harness.ts';
import { DEMO_PASSWORD } from '../../../seed/demo-users.ts';
import { launchBrowser, openSession, type UiLocale } from './browser.ts';
import { login } from './ui.ts';

/**
 * One seeded server and one Chromium for a browser test file, started before its tests and
 * stopped after. `asUser` opens a fresh session in the given UI language, signed in.
 */
export function browserSuite() {
  const ctx = {} as { server: TestServer; browser: Browser };
  beforeAll(async () => {
    ctx.server = await startTestServer({ seed: true });
    ctx.browser = await launchBrowser();
  });
  afterAll(async () => {
    await ctx.browser?.close();
    await ctx.server?.stop();
  });
  async function asUser(locale: UiLocale, username: string): Promise<Page> {
    const { page } = await openSession(ctx.browser, ctx.server.url, locale);
    await login(page, username, DEMO_PASSWORD);
    return page;
  }
  return { ctx, asUser };
}
