import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import { route } from '../../platform/http/route.ts';
import { BilingualView, msg } from '../../platform/schemas.ts';
import { allSearchSources } from '../../records/contributions.ts';
import { parseUdi } from './udi.ts';

// Global search (issue 15 item 3): record numbers, titles in both languages, lots, serials, UDIs,
// suppliers, customers, items and people, grouped by record type. Each record type registers a
// source (records/contributions.ts registerSearchSource; the list: search/sources.ts); a user is
// asked only the sources whose list they may read (the permission of that list's route), so an
// auditor, who reads through the portal's grants alone, gets nothing here.

export const SEARCH_LIMIT_MAX = 50;

export const SearchQuery = z
  .object({
    q: z
      .string()
      // declared as the document says it: at least one non-space character (blank text is a 400)
      .regex(/\S/, msg('search text, not blank', '应为搜索文字,不能为空'))
      .trim()
      .min(1)
      .max(100)
      .refine((q) => !/^\{\s*"?\$/.test(q), msg('search text, not a query object', '应为搜索文字,不能是查询对象')),
    limit: z
      .string()
      .regex(/^\d{1,2}$/, msg('a whole number from 1 to 50', '应为 1 到 50 的整数'))
      .transform(Number)
      .pipe(z.number().int().min(1).max(SEARCH_LIMIT_MAX))
      .optional(),
  })
  .strict();

const hit = z.object({
  id: z.string(),
  number: z.string(),
  title: BilingualView,
  state: z.string(),
  link: z
    .object({
      route: z.string(),
      params: z.record(z.string(), z.string()),
      query: z.record(z.string(), z.string()).optional(),
    })
    .nullable(),
});
const SearchResult = z.object({
  q: z.string(),
  udi: z.object({ gtin: z.string().optional(), lot: z.string().optional(), serial: z.string().optional() }).nullable(),
  groups: z.array(z.object({ kind: z.string(), hits: z.array(hit), more: z.boolean() })),
});

export function searchRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  route(
    r,
    {
      method: 'get',
      path: '/search',
      tag: 'search',
      summary:
        'Global search over record numbers, titles (both languages), lots, serials, UDIs, suppliers, customers, items and people, grouped by record type; only the kinds the user may read',
      access: 'authenticated',
      query: SearchQuery,
      response: SearchResult,
    },
    async ({ query, user }) => {
      const limit = query.limit ?? 10;
      const terms = { text: query.q, udi: parseUdi(query.q) };
      const sources = allSearchSources().filter((x) => x.readable(user));
      const found = await Promise.all(sources.map((x) => x.search(s, terms, limit + 1)));
      const groups = sources
        .map((x, i) => ({ kind: x.kind, hits: found[i].slice(0, limit), more: found[i].length > limit }))
        .filter((g) => g.hits.length > 0);
      return { q: query.q, udi: terms.udi, groups };
    },
  );
  return r;
}
