import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { as, type Client } from '../../server/test/harness.ts';
import { DEMO_PASSWORD } from '../../seed/demo-users.ts';
import { minimalPdf } from '../../seed/documents.ts';
import { act, newDocumentBody, sign, upload, userIds } from '../../server/src/modules/documents/documents.factory.ts';
import { browserSuite } from './support/suite.ts';
import { todayUtc } from '../../server/src/platform/dates.ts';
import { runDocumentAction, signInDialog, tid } from './support/ui.ts';

// Everyday use (issue 15, "Done when"): global search from the header box and its shortcut, a
// review comment holding the approval until resolved, the revision compare view, a delegated
// review signed "on behalf of", and the bell's unread count for a review request. Records are set
// up through the API (as the screens would), the browser checks what the user sees.
const { ctx, asUser } = browserSuite();

let api: Record<'author' | 'reviewer' | 'reviewer2' | 'qa' | 'admin', Client>;
let ids: Record<string, string> = {};
const stamp = Date.now().toString(36);
const ok = <T extends { status: number; body: unknown }>(r: T, what: string): T => {
  expect(r.status, `${what}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
  return r;
};

/** A new document by the author, uploaded and submitted: in review by `reviewers`. */
async function inReview(reviewers: string[], over: Record<string, unknown> = {}, lines?: string[]) {
  const created = ok(
    await api.author.post('/api/v1/documents', newDocumentBody(ids, { reviewers, ...over })),
    'create',
  );
  const id = created.body.id as string;
  ok(await upload(api.author, id, lines ? minimalPdf(lines) : undefined), 'upload');
  ok(await act(api.author, id, 'submit'), 'submit');
  return { id, number: created.body.number as string };
}

beforeAll(async () => {
  const url = ctx.server.url;
  const [author, reviewer, reviewer2, qa, admin] = await Promise.all(
    ['author', 'reviewer', 'reviewer2', 'qa.manager', 'admin'].map((u) => as(url, u)),
  );
  api = { author, reviewer, reviewer2, qa, admin };
  ids = await userIds(author);
});

async function openDocument(page: Page, id: string) {
  await page.goto(`/documents/${id}`);
  await page.waitForSelector(tid('document-header'));
}

describe('global search from the header box', () => {
  it('finds a lot by its number (Ctrl+K) and opens it (en-US)', async () => {
    const page = await asUser('en-US', 'qa.manager');
    await page.keyboard.press('Control+k');
    await page.waitForFunction(
      (sel) => document.activeElement === document.querySelector(sel),
      `${tid('global-search-input')} input, input${tid('global-search-input')}`,
    );
    // this month's first lot of the demo (L<yymm>-<sequence>; the months before hold its year of receipts)
    const month = `L${todayUtc().slice(2, 4)}${todayUtc().slice(5, 7)}-`;
    const lot = (await ctx.server.services.db.collection<{ lotNumber: string }>('lots').find({}).toArray())
      .map((l) => l.lotNumber)
      .filter((n) => n.startsWith(month))
      .sort()[0];
    expect(lot).toBeTruthy();
    await page.keyboard.type(lot);
    const hit = page.locator(`${tid('search-group-lot')} ${tid(`search-hit-${lot}`)}`);
    await hit.waitFor();
    expect(await hit.textContent()).toContain(lot);
    await hit.click();
    await page.waitForURL(/\/lots\//);
    await page.waitForFunction((n) => document.body.innerText.includes(n), lot);
    await page.context().close();
  });

  it('finds a document by its Chinese title ("/" shortcut) in zh-CN', async () => {
    const title = `灭菌放行规程${stamp}`;
    const created = ok(
      await api.author.post(
        '/api/v1/documents',
        newDocumentBody(ids, { title: { zh: title, en: `Sterile release procedure ${stamp}` } }),
      ),
      'create',
    );
    const page = await asUser('zh-CN', 'qa.manager');
    await page.locator('body').click({ position: { x: 600, y: 400 } });
    await page.keyboard.press('/');
    await page.keyboard.type(title);
    const hit = page.locator(`${tid('search-group-document')} ${tid(`search-hit-${created.body.number}`)}`);
    await hit.waitFor();
    expect(await hit.textContent()).toContain(title);
    expect(await page.textContent(tid('global-search-results'))).toContain('文件');
    await page.keyboard.press('Enter');
    await page.waitForSelector(tid('document-header'));
    expect(await page.textContent(tid('document-number'))).toContain(created.body.number);
    await page.context().close();
  });
});

describe('review as people review', () => {
  let doc = { id: '', number: '' };

  it('holds the approval while a review comment is open, with the reason, and frees it once resolved (zh-CN)', async () => {
    doc = await inReview([ids.reviewer!], {}, [
      'Cleaning',
      'Wear gloves. Rinse for 5 minutes. Dry the part.',
      'Record the lot.',
    ]);
    ok(
      await api.reviewer.post(`/api/v1/documents/${doc.id}/comments`, {
        revision: 'A',
        text: `第 2 步未写明清洗剂 ${stamp}`,
      }),
      'comment',
    );
    ok(await act(api.reviewer, doc.id, 'review', sign), 'review');

    const qa = await asUser('zh-CN', 'qa.manager');
    await openDocument(qa, doc.id);
    await qa.click('#tab-review');
    const blocked = qa.locator(tid('approve-blocked'));
    await blocked.waitFor();
    expect((await blocked.innerText()).trim()).not.toBe('');
    expect(await qa.locator(tid('thread-open')).count()).toBe(1);
    // no approval to click in the action bar while it is held: only the override, with a reason
    expect(await qa.locator(`${tid('action-approve')}:not([disabled])`).count()).toBe(0);

    const reviewer = await asUser('zh-CN', 'reviewer');
    await openDocument(reviewer, doc.id);
    await reviewer.click('#tab-review');
    await reviewer.click(tid('comment-resolve'));
    await reviewer.waitForSelector(tid('thread-resolved'));
    await reviewer.context().close();

    await qa.reload();
    await qa.waitForSelector(`${tid('action-approve')}:not([disabled])`);
    await qa.click('#tab-review');
    expect(await qa.locator(tid('approve-blocked')).count()).toBe(0);
    await runDocumentAction(qa, 'approve', DEMO_PASSWORD);
    await qa.waitForSelector(`${tid('document-state')}[data-state="effective"]`);
    await qa.context().close();
  });

  it('compares two revisions with the changed sentence highlighted (en-US)', async () => {
    ok(await act(api.author, doc.id, 'new_revision'), 'new revision');
    ok(
      await upload(
        api.author,
        doc.id,
        minimalPdf(['Cleaning', 'Wear gloves. Rinse for 10 minutes. Dry the part.', 'Record the lot.']),
      ),
      'upload B',
    );
    const page = await asUser('en-US', 'reviewer');
    await openDocument(page, doc.id);
    await page.click(tid('compare-open'));
    const dialog = page.locator(`${tid('compare-dialog')}:visible`);
    await dialog.waitFor();
    await dialog.locator(tid('compare-run')).click();
    await dialog.locator(tid('compare-result')).waitFor();
    expect((await dialog.locator(tid('compare-removed')).allInnerTexts()).map((s) => s.trim())).toEqual([
      'Rinse for 5 minutes.',
    ]);
    expect((await dialog.locator(tid('compare-added')).allInnerTexts()).map((s) => s.trim())).toEqual([
      'Rinse for 10 minutes.',
    ]);
    // highlighted: the changed sentence has a background the unchanged text has not
    const bg = await dialog.locator(tid('compare-added')).evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(bg).not.toMatch(/^rgba\(0, 0, 0, 0\)$|^transparent$/);
    await page.context().close();
  });
});

describe('notifications and delegation', () => {
  it('shows the bell with an unread count for a review request (en-US)', async () => {
    // the outbox's first pass records each inbox as its baseline; the request after it is new
    ok(await api.admin.post('/api/v1/notifications/run', { digest: false }), 'baseline pass');
    const doc = await inReview([ids.reviewer2!]);
    ok(await api.admin.post('/api/v1/notifications/run', { digest: false }), 'notifications pass');
    const unread = (await api.reviewer2.get('/api/v1/notifications/unread')).body.unread as number;
    expect(unread).toBeGreaterThanOrEqual(1);

    const page = await asUser('en-US', 'reviewer2');
    const badge = page.locator(`${tid('notification-bell')} .el-badge__content`);
    await badge.waitFor();
    expect(Number((await badge.innerText()).trim())).toBe(unread);
    await page.click(tid('notification-bell'));
    const item = page.locator(`${tid('notification-item')}.unread`, { hasText: doc.number });
    await item.waitFor();
    await item.click();
    await page.waitForSelector(tid('document-header'));
    // opening it marks it read: the count goes down (the badge hides at zero)
    await page.waitForFunction(
      ([sel, n]) => {
        const el = document.querySelector<HTMLElement>(sel);
        return n === 0 ? !el || el.offsetParent === null : (el?.textContent ?? '').trim() === String(n);
      },
      [`${tid('notification-bell')} .el-badge__content`, unread - 1] as const,
    );
    expect((await api.reviewer2.get('/api/v1/notifications/unread')).body.unread).toBe(unread - 1);
    await page.context().close();
  });

  it('signs a delegated review "on behalf of" the principal, shown as 代表 in the signature list (zh-CN)', async () => {
    const doc = await inReview([ids.reviewer!]);
    const today = new Date().toISOString().slice(0, 10);
    const to = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    ok(
      await api.reviewer.post('/api/v1/delegations', {
        delegateId: ids.reviewer2,
        from: today,
        to,
        roles: ['reviewer'],
        reason: 'Annual leave',
      }),
      'delegation',
    );
    const page = await asUser('zh-CN', 'reviewer2');
    await page.goto('/');
    await page.click(tid(`task-sign-on-behalf-${doc.number}`));
    await signInDialog(page, DEMO_PASSWORD);
    await openDocument(page, doc.id);
    await page.click('#tab-signatures');
    const onBehalf = page.locator(tid('signature-on-behalf'));
    await onBehalf.first().waitFor();
    expect(await onBehalf.first().innerText()).toContain('代表');
    expect((await page.locator(tid('signature-manifestation')).allInnerTexts()).join('\n')).toContain('代表');
    await page.context().close();
  });
});
