import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { MEANING_LABELS, type Meaning } from '../../../signatures/manifestation.ts';

// Handlebars templates in templates/ (QA edits them; see templates/README.md) render the data of
// an export to the markup of markup.ts. Fixed labels live in templates/labels.json in both
// languages; `{{t "key"}}` picks the export's locale. Compiled templates are cached per process.
export type Locale = 'zh-CN' | 'en-US';
export const TEMPLATE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../templates');

type Labels = Record<string, Record<Locale, string>>;
let labels: Labels | null = null;
export function loadLabels(): Labels {
  labels ??= JSON.parse(readFileSync(path.join(TEMPLATE_DIR, 'labels.json'), 'utf8')) as Labels;
  return labels;
}

/** A fixed label in `locale`, with {name} placeholders filled from `vars`. */
export function label(key: string, locale: Locale, vars: Record<string, string | number> = {}): string {
  const entry = loadLabels()[key];
  if (!entry) throw new Error(`templates/labels.json has no "${key}"`);
  return entry[locale].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}

const hb = Handlebars.create();
const localeOf = (options: Handlebars.HelperOptions): Locale =>
  options.data?.root?.locale === 'zh-CN' ? 'zh-CN' : 'en-US';
const utc = (iso: unknown, len: number) =>
  typeof iso === 'string' && iso ? new Date(iso).toISOString().slice(0, len).replace('T', ' ') : '—';

// {{t "dhr.title"}}, {{t "dhr.status." status}} (parts are joined), {{t "pdf.pageOf" x=1 y=2}}
hb.registerHelper('t', function (...args: unknown[]) {
  const options = args.pop() as Handlebars.HelperOptions;
  return label(args.map(String).join(''), localeOf(options), options.hash ?? {});
});
// {{tv "state." state}}: the label of a coded value when labels.json has one, else the code itself
hb.registerHelper('tv', function (...args: unknown[]) {
  const options = args.pop() as Handlebars.HelperOptions;
  const value = String(args[args.length - 1] ?? '');
  const entry = loadLabels()[args.map(String).join('')];
  return entry ? entry[localeOf(options)] : value;
});
// Bilingual {zh, en} → the export's language (falls back to the other one)
hb.registerHelper('bi', function (v: unknown, options: Handlebars.HelperOptions) {
  if (!v || typeof v !== 'object') return v ?? '—';
  const b = v as { zh?: string; en?: string };
  return (localeOf(options) === 'zh-CN' ? b.zh || b.en : b.en || b.zh) ?? '—';
});
hb.registerHelper('dt', (iso: unknown) => (iso ? `${utc(iso, 16)} UTC` : '—'));
hb.registerHelper('date', (iso: unknown) =>
  typeof iso === 'string' && /^\d{4}-\d\d-\d\d$/.test(iso) ? iso : utc(iso, 10),
);
hb.registerHelper('or', (v: unknown, fallback: unknown) => (v === null || v === undefined || v === '' ? fallback : v));
hb.registerHelper('inc', (i: number) => i + 1);
hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
hb.registerHelper('short', (h: unknown) => (typeof h === 'string' ? h.slice(0, 16) : ''));
hb.registerHelper('limits', (lo: number | null, hi: number | null) =>
  lo === null && hi === null ? '—' : `${lo ?? '−∞'} … ${hi ?? '+∞'}`,
);
hb.registerHelper('meaning', function (m: string, options: Handlebars.HelperOptions) {
  return MEANING_LABELS[m as Meaning]?.[localeOf(options)] ?? m;
});
hb.registerHelper('join', (a: unknown, sep: unknown) =>
  Array.isArray(a) ? a.join(typeof sep === 'string' ? sep : ', ') : '',
);

const compiled = new Map<string, Handlebars.TemplateDelegate>();

/** Renders templates/<name>.hbs with `data` (which must carry `locale`) to markup. */
export function renderTemplate(name: string, data: { locale: Locale } & object): string {
  let tpl = compiled.get(name);
  if (!tpl) {
    if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`bad template name ${name}`);
    tpl = hb.compile(readFileSync(path.join(TEMPLATE_DIR, `${name}.hbs`), 'utf8'), { strict: false, noEscape: false });
    compiled.set(name, tpl);
  }
  return tpl(data);
}
