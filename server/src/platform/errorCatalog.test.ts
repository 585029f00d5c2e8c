import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

// Every domain error code is declared once (issue 10 item 4). This reads the source text of
// server/src and signatures/ (tests excluded) and finds:
//  - declarations: the keys of CATALOG (platform/errors.ts) and of each defineErrors(context, {...})
//    object (written inline or as a const of the same file);
//  - inline definitions: domainError('CODE', en, zh, …) with a literal code, and object literals
//    { code: 'CODE', en, zh } (lifecycle refusals written in place).
// It asserts (1) no code is declared twice (two catalogs, or twice in one) and (2) the platform,
// identity, ledger (routes.ts aside), cli and pdf areas define no code inline. Inline definitions
// elsewhere are printed as a list (code, how many different texts, where) for their owners to
// move into their context's errors.ts; once that list is empty, (2) can cover every area.

const ROOT = path.resolve(import.meta.dirname, '../../..');
const SCANNED = ['server/src', 'signatures'];
const CLEAN_AREAS = [
  /^server\/src\/platform\//,
  /^server\/src\/identity\//,
  /^server\/src\/ledger\/(?!routes\.ts$)/,
  /^server\/src\/cli\//,
  /^server\/src\/pdf\//,
];

interface Site {
  file: string;
  line: number;
  text: string;
}

function sourceFiles(dir: string): string[] {
  const abs = path.join(ROOT, dir);
  return readdirSync(abs).flatMap((name) => {
    const rel = `${dir}/${name}`;
    if (statSync(path.join(ROOT, rel)).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(rel);
    return /\.ts$/.test(name) && !/\.(test|d)\.ts$/.test(name) ? [rel] : [];
  });
}

const nameOf = (n: ts.PropertyName | undefined) =>
  n && (ts.isIdentifier(n) || ts.isStringLiteral(n)) ? n.text : undefined;
const unwrap = (e: ts.Expression): ts.Expression =>
  ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isParenthesizedExpression(e) ? unwrap(e.expression) : e;
/** The texts of an entry or refusal, normalised: what two definitions must share to be one. */
function textOf(obj: ts.ObjectLiteralExpression, sf: ts.SourceFile): string {
  const prop = (k: string) => obj.properties.find((p) => nameOf(p.name) === k);
  return ['en', 'zh'].map((k) => prop(k)?.getText(sf).replace(/\s+/g, ' ') ?? '?').join(' | ');
}

function scan() {
  const declared = new Map<string, Site[]>();
  const inline = new Map<string, Site[]>();
  const add = (m: Map<string, Site[]>, code: string, site: Site) => m.set(code, [...(m.get(code) ?? []), site]);
  for (const file of SCANNED.flatMap(sourceFiles)) {
    const sf = ts.createSourceFile(file, readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
    const consts = new Map<string, ts.Expression>();
    const line = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
    const declare = (obj: ts.Expression | undefined) => {
      const o = obj && unwrap(ts.isIdentifier(obj) ? (consts.get(obj.text) ?? obj) : obj);
      if (!o || !ts.isObjectLiteralExpression(o)) return;
      for (const p of o.properties) {
        const code = nameOf(p.name);
        if (code && ts.isPropertyAssignment(p)) {
          const entry = unwrap(p.initializer);
          add(declared, code, {
            file,
            line: line(p),
            text: ts.isObjectLiteralExpression(entry) ? textOf(entry, sf) : '?',
          });
        }
      }
    };
    const calls: ts.CallExpression[] = [];
    const visit = (n: ts.Node) => {
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer) {
        consts.set(n.name.text, n.initializer);
        if (n.name.text === 'CATALOG' && file === 'server/src/platform/errors.ts') declare(n.initializer);
      }
      if (ts.isCallExpression(n) && ts.isIdentifier(n.expression)) {
        const [first, second, third] = n.arguments;
        if (n.expression.text === 'defineErrors') calls.push(n);
        if (n.expression.text === 'domainError' && first && ts.isStringLiteralLike(first)) {
          add(inline, first.text, {
            file,
            line: line(n),
            text: [second, third].map((a) => a?.getText(sf).replace(/\s+/g, ' ') ?? '?').join(' | '),
          });
        }
      }
      if (ts.isObjectLiteralExpression(n)) {
        const code = n.properties.find((p) => nameOf(p.name) === 'code');
        const own = (k: string) => n.properties.some((p) => nameOf(p.name) === k);
        if (
          code &&
          ts.isPropertyAssignment(code) &&
          ts.isStringLiteralLike(code.initializer) &&
          own('en') &&
          own('zh')
        ) {
          add(inline, code.initializer.text, { file, line: line(n), text: textOf(n, sf) });
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
    for (const c of calls) declare(c.arguments[1]); // after the walk: the entries' const may come later in the file
  }
  return { declared, inline };
}

const where = (sites: Site[]) => sites.map((s) => `${s.file}:${s.line}`).join(', ');

describe('error catalog: every domain code declared once', () => {
  const { declared, inline } = scan();

  it('finds the catalogs (the scan works)', () => {
    for (const code of [
      'VALIDATION_FAILED',
      'UNSUPPORTED_MEDIA_TYPE',
      'QUANTITY_OUT_OF_RANGE',
      'UNSTORABLE_VALUE',
      'LAST_ADMINISTRATOR',
    ]) {
      expect(declared.get(code)?.length, code).toBe(1);
    }
  });

  it('declares no code twice in the catalogs (CATALOG and every defineErrors)', () => {
    const twice = [...declared]
      .filter(([, sites]) => sites.length > 1)
      .map(([code, sites]) => `${code}: ${where(sites)}`);
    expect(twice).toEqual([]);
  });

  it('platform, identity, ledger, cli and pdf define no code inline', () => {
    const mine = [...inline].flatMap(([code, sites]) =>
      sites.filter((s) => CLEAN_AREAS.some((a) => a.test(s.file))).map((s) => `${code}: ${s.file}:${s.line}`),
    );
    expect(mine).toEqual([]);
  });

  it('lists the codes still defined inline elsewhere (for their owners to move into a catalog)', () => {
    const report = [...inline]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([code, sites]) => {
        const texts = new Set(sites.map((s) => s.text)).size;
        const also = declared.has(code) ? ` — also declared in ${where(declared.get(code)!)}` : '';
        return `${code}: ${sites.length} inline site(s), ${texts} different text(s)${also}\n    ${where(sites)}`;
      });
    console.info(`codes defined inline (${report.length}):\n${report.join('\n')}`);
    expect(Array.isArray(report)).toBe(true);
  });
});
