import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export type UiLocale = 'zh-CN' | 'en-US';

/** A fresh browser profile (own cookies) whose UI starts in the given language. */
export async function openSession(
  browser: Browser,
  baseURL: string,
  locale: UiLocale,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL, locale, viewport: { width: 1440, height: 900 } });
  await context.addInitScript((value) => localStorage.setItem('provenant.locale', value), locale);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return { context, page };
}
