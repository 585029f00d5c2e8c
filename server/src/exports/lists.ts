import { createHash, randomUUID } from 'node:crypto';
import Router from '@koa/router';
import { z, type ZodType } from 'zod';
import type { Services } from '../platform/services.ts';
import type { SessionUser } from '../identity/sessionUser.ts';
import { hasPermission, type Permission } from '../identity/roles.ts';
import { route } from '../platform/http/route.ts';
import { parseOrThrow } from '../platform/http/validate.ts';
import { currentLocale, type Locale } from '../platform/context.ts';
import { domainError, errors } from '../platform/errors.ts';
import { writeXlsx, type Cell } from './xlsx/writer.ts';
import { listExportEvents } from './events.ts';
import { todayUtc } from '../platform/dates.ts';

// Excel exports of lists. A module registers its list once (modules/contributions.ts) with the
// SAME query schema and row source as its JSON list route, so the screen and the file never
// disagree; GET /api/v1/lists/:name/export.xlsx?<the list's filters> answers the workbook in the
// request's language and records the export on the ledger (stream `list-export:<id>`).

export type Bilingual = { en: string; zh: string };
export interface ListColumn<R> {
  key: string;
  header: Bilingual;
  value(row: R, locale: Locale): Cell;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the registry holds lists of every row and query type
export interface ListExport<R = any, Q = any> {
  /** The permission the list's own route requires. */
  permission: Permission;
  title: Bilingual;
  query: ZodType<Q>;
  columns: ListColumn<R>[];
  rows(s: Services, user: SessionUser, query: Q): Promise<R[]>;
}

/** More rows than a spreadsheet export takes: narrow the filter (413, nothing written). */
export const MAX_LIST_EXPORT_ROWS = 10_000;

const lists = new Map<string, ListExport>();
export function registerListExport<R, Q>(name: string, def: ListExport<R, Q>) {
  if (!/^[a-z][a-z0-9-]{0,39}$/.test(name)) throw new Error(`list export name "${name}" is not a slug`);
  // a second server in one process registers the same definitions again: only a different one clashes
  const known = lists.get(name);
  if (known && known !== (def as ListExport)) throw new Error(`list export ${name} is registered twice`);
  lists.set(name, def as ListExport);
}
export const listExportNames = () => [...lists.keys()];

/** Picks a bilingual text in the locale (the other language when one is missing). */
export const inLocale = (t: Bilingual | null | undefined, locale: Locale) =>
  t ? (locale === 'zh-CN' ? t.zh || t.en : t.en || t.zh) : '';

export interface ListWorkbook {
  filename: string;
  xlsx: Buffer;
  rows: number;
  sha256: string;
  exportId: string;
}

/** Builds the workbook of list `name` for `user` with `rawQuery` (validated by the list's own schema), and records it. */
export async function exportList(
  s: Services,
  user: SessionUser,
  name: string,
  rawQuery: unknown,
  locale: Locale,
): Promise<ListWorkbook> {
  const def = lists.get(name);
  if (!def) throw errors.notFound('list');
  if (!hasPermission(user, def.permission)) throw errors.forbidden(`export the list ${name}`);
  const query = parseOrThrow(def.query, rawQuery, 'query') as Record<string, unknown>;
  const rows = await def.rows(s, user, query);
  if (rows.length > MAX_LIST_EXPORT_ROWS)
    throw domainError(
      'LIST_EXPORT_TOO_LARGE',
      `The list has ${rows.length} rows; an export takes at most ${MAX_LIST_EXPORT_ROWS}. Narrow the filter.`,
      `列表有 ${rows.length} 行,导出最多 ${MAX_LIST_EXPORT_ROWS} 行。请缩小筛选范围。`,
      413,
      { rows: rows.length, max: MAX_LIST_EXPORT_ROWS },
    );
  const xlsx = await writeXlsx({
    name: inLocale(def.title, locale),
    header: def.columns.map((c) => inLocale(c.header, locale)),
    rows: rows.map((r) => def.columns.map((c) => c.value(r, locale))),
  });
  const sha256 = createHash('sha256').update(xlsx).digest('hex');
  const filename = `${name}-${todayUtc()}.xlsx`;
  const filter = Object.fromEntries(
    Object.entries(query)
      .filter(([, v]) => v !== undefined && v !== null && v !== '')
      .map(([k, v]) => [k, String(v)]),
  );
  const exportId = randomUUID();
  const e = listExportEvents.change('export.list_generated', {
    list: name,
    filter,
    rows: rows.length,
    sha256,
    filename,
    locale,
  });
  await s.ledger.append(`list-export:${exportId}`, e.type, e.data, { expectedVersion: 0 });
  return { filename, xlsx, rows: rows.length, sha256, exportId };
}

const ListParams = z.object({ name: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/) }).strict();

export function listExportRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  route(
    r,
    {
      method: 'get',
      path: '/lists/:name/export.xlsx',
      tag: 'exports',
      summary: "An Excel workbook of a list, with the list's own filters (the export is recorded on the ledger)",
      access: 'authenticated',
      params: ListParams,
      errors: [403, 404, 413],
    },
    async ({ params, user }, ctx) => {
      const locale = currentLocale();
      const out = await exportList(s, user, params.name, { ...ctx.query }, locale);
      ctx.set('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      ctx.set('content-disposition', `attachment; filename="${out.filename}"`);
      ctx.set('x-content-type-options', 'nosniff');
      ctx.set('cache-control', 'private, no-store');
      ctx.set('x-export-rows', String(out.rows));
      ctx.set('x-export-sha256', out.sha256);
      ctx.body = out.xlsx;
      return undefined;
    },
  );
  return r;
}
