import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, as, Client, type TestServer } from '../../../test/harness.ts';

// Field-level validation messages follow the request's language (issue 10 item 4): the same bad
// body sent in zh-CN and en-US is refused the same way (400 VALIDATION_FAILED, the same field
// paths), with every message of the Chinese answer free of English words.

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ seed: true });
});
afterAll(async () => {
  await t?.stop();
});

/** What may stay ASCII in a Chinese message: field paths, quoted values and codes, numbers, dates. */
const englishWords = (text: string) =>
  text
    .replace(/\b(body|query|params)(\.[\w-]+)*/g, '')
    .replace(/"[^"]*"/g, '')
    .match(/[A-Za-z]{2,}/g) ?? [];

async function both(user: string | null, path: string, body: unknown) {
  const out: Record<
    string,
    { status: number; error: { code: string; message: string; details: Array<{ path: string; message: string }> } }
  > = {};
  for (const locale of ['zh-CN', 'en-US']) {
    const c = user ? await as(t.url, user) : new Client(t.url);
    c.locale = locale;
    const r = await c.post(path, body);
    out[locale] = { status: r.status, error: r.body.error };
  }
  return { zh: out['zh-CN'], en: out['en-US'] };
}

const messages = (e: { message: string; details: Array<{ message: string }> }) => [
  e.message,
  ...e.details.map((d) => d.message),
];

const item = { partNumber: 'VL-1', name: { zh: '阀', en: 'Valve' }, type: 'component', unit: 'pcs', control: 'lot' };

const cases: Array<{
  what: string;
  user: string | null;
  path: string;
  body: unknown;
  at: string;
  en: RegExp;
  zh: RegExp;
}> = [
  {
    what: 'a missing field',
    user: null,
    path: '/api/v1/auth/login',
    body: { username: 'admin' },
    at: 'body.password',
    en: /expected string, received undefined/,
    zh: /必填/,
  },
  {
    what: 'a too long string',
    user: 'qa.manager',
    path: '/api/v1/items',
    body: { ...item, unit: 'x'.repeat(21) },
    at: 'body.unit',
    en: /Too big/,
    zh: /最多 20 个字符/,
  },
  {
    what: 'a bad enum value',
    user: 'qa.manager',
    path: '/api/v1/items',
    body: { ...item, type: 'spaceship' },
    at: 'body.type',
    en: /Invalid option/,
    zh: /不是允许的取值/,
  },
  {
    what: 'a number below its bound',
    user: 'qa.manager',
    path: '/api/v1/items',
    body: { ...item, shelfLifeDays: 0 },
    at: 'body.shelfLifeDays',
    en: /Too small/,
    zh: /不能小于 1/,
  },
  {
    what: 'an unknown key (strict schema)',
    user: 'qa.manager',
    path: '/api/v1/items',
    body: { ...item, colour: 'red' },
    at: 'body',
    en: /Unrecognized key/,
    zh: /不允许的字段:"colour"/,
  },
  {
    what: "a schema's own message (msg)",
    user: 'qa.manager',
    path: '/api/v1/items',
    body: { ...item, partNumber: 'VL 1' },
    at: 'body.partNumber',
    en: /letters, digits/,
    zh: /只能包含字母/,
  },
  {
    what: 'a date not like 2026-12-01',
    user: 'prod.supervisor',
    path: '/api/v1/workorders',
    body: { itemId: 'x', plannedQuantity: 1, plannedStart: '12/01/2026', plannedEnd: '2026-12-02' },
    at: 'body.plannedStart',
    en: /a date like 2026-12-01/,
    zh: /应为形如 2026-12-01 的日期/,
  },
  {
    what: 'a date not on the calendar',
    user: 'prod.supervisor',
    path: '/api/v1/workorders',
    body: { itemId: 'x', plannedQuantity: 1, plannedStart: '2026-02-30', plannedEnd: '2026-12-02' },
    at: 'body.plannedStart',
    en: /not a calendar date/,
    zh: /不是日历上存在的日期/,
  },
  {
    what: 'a quantity of zero',
    user: 'prod.supervisor',
    path: '/api/v1/workorders',
    body: { itemId: 'x', plannedQuantity: 0, plannedStart: '2026-12-01', plannedEnd: '2026-12-02' },
    at: 'body.plannedQuantity',
    en: /more than zero/,
    zh: /应大于零/,
  },
  {
    what: 'a wrong type',
    user: 'prod.supervisor',
    path: '/api/v1/workorders',
    body: { itemId: 'x', plannedQuantity: '5', plannedStart: '2026-12-01', plannedEnd: '2026-12-02' },
    at: 'body.plannedQuantity',
    en: /expected number, received string/,
    zh: /应为数字,收到的是文本/,
  },
];

describe('validation messages in the request language', () => {
  for (const c of cases) {
    it(`${c.what}: the same refusal in both languages, no English in the Chinese one`, async () => {
      const { zh, en } = await both(c.user, c.path, c.body);
      expect([zh.status, zh.error.code, en.status, en.error.code]).toEqual([
        400,
        'VALIDATION_FAILED',
        400,
        'VALIDATION_FAILED',
      ]);
      expect(zh.error.details.map((d) => d.path)).toEqual(en.error.details.map((d) => d.path));
      const enAt = en.error.details.find((d) => d.path === c.at);
      const zhAt = zh.error.details.find((d) => d.path === c.at);
      expect(enAt?.message, JSON.stringify(en.error)).toMatch(c.en);
      expect(zhAt?.message, JSON.stringify(zh.error)).toMatch(c.zh);
      for (const m of messages(zh.error)) expect(englishWords(m), m).toEqual([]);
      expect(messages(en.error).join(' ')).toMatch(/[A-Za-z]{3,}/);
      expect(en.error.message).toMatch(/^Invalid input at body/);
      expect(zh.error.message).toMatch(/^输入无效\(body/);
    });
  }

  it('text with a lone surrogate is refused in the request language', async () => {
    const raw = await fetch(`${t.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'zh-CN' },
      body: '{"username":"\\ud800","password":"x"}',
    });
    const body = await raw.json();
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(englishWords(body.error.message)).toEqual([]);
    // a refusal the server words itself carries the same details as a zod issue: the field and its message
    expect(body.error.details).toEqual([{ path: 'body.username', message: '文本含有无效的字符(单独的代理码元)' }]);
  });
});
