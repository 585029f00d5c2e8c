import { z } from 'zod';
import { optional, RecordVersion } from '../../platform/fields.ts';
import { msg, Text } from '../../platform/schemas.ts';
import { parseOrThrow } from '../../platform/http/validate.ts';
import { ListQuery as DocumentQuery } from '../documents/schema.ts';
import { PoQuery } from '../purchasing/schema.ts';
import { InventoryQuery } from '../inventory/schema.ts';
import { MatrixQuery } from '../training/matrix.ts';
import { CapaQuery } from '../capa/schema.ts';
import { NcListQuery } from '../nc/schema.ts';

/**
 * The lists that carry the saved-view bar: per list, the query its API accepts (a saved filter is
 * judged by exactly that schema, strict: a key the list does not take is refused, never ignored)
 * and the columns its screen can show (the client uses the same keys).
 */
export const LISTS = {
  documents: {
    query: DocumentQuery.omit({ page: true, pageSize: true }).strict(),
    columns: ['number', 'title', 'type', 'revision', 'state', 'owner', 'department', 'effectiveDate', 'nextReviewDue'],
  },
  purchaseOrders: {
    query: PoQuery.strict(),
    columns: [
      'number',
      'supplier',
      'status',
      'lines',
      'total',
      'currency',
      'dueDate',
      'orderDate',
      'createdBy',
      'createdAt',
    ],
  },
  lots: {
    query: InventoryQuery.strict(),
    columns: ['lotNumber', 'item', 'status', 'quantity', 'unit', 'location', 'supplier', 'expiry', 'receivedAt'],
  },
  training: {
    query: MatrixQuery,
    columns: ['person', 'department', 'roles', 'document', 'revision', 'status', 'due', 'completedAt'],
  },
  capas: {
    query: CapaQuery,
    columns: ['number', 'title', 'state', 'source', 'owner', 'due', 'product', 'createdAt'],
  },
  ncs: {
    query: NcListQuery,
    columns: ['number', 'title', 'status', 'source', 'lot', 'item', 'owner', 'createdAt'],
  },
} as const;
export type ListKey = keyof typeof LISTS;
export const LIST_KEYS = Object.keys(LISTS) as [ListKey, ...ListKey[]];

export const MAX_COLUMNS = 30;
export const MAX_FILTERS = 12;
export const MAX_FILTER_VALUE = 200;
/** Saved views one person may keep per list (a bounded bar, not a store). */
export const MAX_VIEWS_PER_LIST = 50;

const List = z.enum(LIST_KEYS, msg(`one of ${LIST_KEYS.join(', ')}`, `应为 ${LIST_KEYS.join('、')} 之一`));
const NoControl = /^[^\p{Cc}\p{Cf}]*$/u;
const NamePart = Text(60)
  .min(1, msg('1 to 60 characters', '1 至 60 个字符'))
  .regex(NoControl, msg('no control characters', '不能包含控制字符'));
const Name = z
  .object({ en: optional(NamePart), zh: optional(NamePart) })
  .strict()
  .refine((n) => !!(n.en || n.zh), msg('a name in at least one language', '至少用一种语言填写名称'));
/** Plain query keys only: no `$` operators, no dotted or bracketed paths. */
const FilterKey = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, msg('a query key (letters, digits, _)', '应为查询键(字母、数字、_)'));
const FilterValue = z
  .string()
  .max(MAX_FILTER_VALUE, msg(`at most ${MAX_FILTER_VALUE} characters`, `最多 ${MAX_FILTER_VALUE} 个字符`));
const Filters = z
  .record(FilterKey, FilterValue)
  .refine(
    (f) => Object.keys(f).length <= MAX_FILTERS,
    msg(`at most ${MAX_FILTERS} filters`, `最多 ${MAX_FILTERS} 个筛选条件`),
  );
const Columns = z
  .array(z.string().max(40))
  .min(1, msg('at least one column', '至少选择一列'))
  .max(MAX_COLUMNS, msg(`at most ${MAX_COLUMNS} columns`, `最多 ${MAX_COLUMNS} 列`));

const values = { name: Name, filters: Filters, columns: Columns, default: z.boolean().default(false) };

/** The filters and columns judged against the list they are for (its query schema, its columns). */
function checkForList(list: ListKey, v: { filters: Record<string, string>; columns: string[] }, ctx: z.RefinementCtx) {
  const spec = LISTS[list];
  const parsed = spec.query.safeParse(v.filters);
  if (!parsed.success)
    for (const issue of parsed.error.issues)
      ctx.addIssue({ code: 'custom', path: ['filters', ...issue.path], message: issue.message });
  const known = new Set<string>(spec.columns);
  v.columns.forEach((c, i) => {
    if (!known.has(c))
      ctx.addIssue({
        code: 'custom',
        path: ['columns', i],
        message: msg(`not a column of ${list}`, `不是 ${list} 列表的列`),
      });
  });
  if (new Set(v.columns).size !== v.columns.length)
    ctx.addIssue({ code: 'custom', path: ['columns'], message: msg('a column twice', '列重复') });
}

export const CreateListViewBody = z
  .object({ list: List, ...values })
  .strict()
  .superRefine((b, ctx) => checkForList(b.list, b, ctx));
export type CreateListViewInput = z.infer<typeof CreateListViewBody>;

/** An update gives the whole view (the list stays the view's own: checked by the service). */
export const UpdateListViewBody = z.object({ ...values, version: optional(RecordVersion) }).strict();
export type UpdateListViewInput = z.infer<typeof UpdateListViewBody>;
export type ListViewValues = Omit<UpdateListViewInput, 'version'>;

export const RetireListViewBody = z.object({ version: optional(RecordVersion) }).strict();
export const ListViewQuery = z.object({ list: List }).strict();

/** Judges an update's values against the list of the view it changes (400 like any schema refusal). */
export function updateValuesFor(list: ListKey, body: UpdateListViewInput) {
  const schema = z.object({ ...values }).superRefine((b, ctx) => checkForList(list, b, ctx));
  return parseOrThrow(
    schema,
    { name: body.name, filters: body.filters, columns: body.columns, default: body.default },
    'body',
  );
}
