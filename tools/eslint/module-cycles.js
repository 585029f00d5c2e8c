// ESLint rule `provenant/no-module-cycle`: no import cycle between feature modules
// (server/src/modules/<name>), which import-x/no-cycle does not see when the files of the cycle
// differ (documents/routes.ts → training/trainingService.ts → documents/numbering.ts is no file cycle, but
// documents and training then depend on each other). Issue 10, item 5.
// Type-only imports do not count (they vanish at run time); imports through shared code
// (platform/, records/, …) do not either: only direct imports from one module into another.
import fs from 'node:fs';
import path from 'node:path';

const MODULE_PATH = /(?:^|[\\/])server[\\/]src[\\/]modules[\\/]([^\\/]+)[\\/]/;
const moduleOf = (file) => MODULE_PATH.exec(file)?.[1] ?? null;

// `import type …`, `import { type A, type B } …` and `export type …` carry no run-time dependency.
const IMPORT = /^\s*(import|export)\s+(type\s+)?(?:([^;'"]*?)\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]/gm;
const typeOnly = (clause) =>
  /^\{[^}]*\}$/.test(clause.trim()) &&
  clause
    .trim()
    .slice(1, -1)
    .split(',')
    .every((s) => !s.trim() || s.trim().startsWith('type '));

/** module → (module → first file importing it), from every .ts file under server/src/modules. */
function buildGraph(modulesDir) {
  const graph = new Map();
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) scan(file);
    }
  };
  const scan = (file) => {
    const from = moduleOf(file);
    for (const m of fs.readFileSync(file, 'utf8').matchAll(IMPORT)) {
      if (m[2] || (m[3] && typeOnly(m[3]))) continue;
      const to = moduleOf(path.resolve(path.dirname(file), m[4]));
      if (!from || !to || from === to) continue;
      if (!graph.has(from)) graph.set(from, new Map());
      if (!graph.get(from).has(to)) graph.get(from).set(to, path.relative(modulesDir, file));
    }
  };
  walk(modulesDir);
  return graph;
}

/** A path from `start` back to `goal` through the module graph, or null. */
function pathBetween(graph, start, goal) {
  const seen = new Set([start]);
  const queue = [[start]];
  while (queue.length) {
    const route = queue.shift();
    for (const next of graph.get(route.at(-1))?.keys() ?? []) {
      if (next === goal) return [...route, next];
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push([...route, next]);
    }
  }
  return null;
}

// One graph per process, built on first use: right for `npm run lint`; an editor's long-lived ESLint
// server sees import changes in other files after a restart.
let cached = null;

export const noModuleCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'disallow import cycles between feature modules (server/src/modules/<name>)' },
    // allow: groups of modules known to import each other ("inventory, purchasing"); an import inside a group is not checked
    schema: [
      {
        type: 'object',
        properties: { allow: { type: 'array', items: { type: 'string' } } },
        additionalProperties: false,
      },
    ],
    messages: {
      cycle:
        'Module cycle: {{route}}. Move what both need to a shared place (platform/, records/) or invert the dependency.',
    },
  },
  create(context) {
    const from = moduleOf(context.filename);
    if (!from || context.filename.endsWith('.test.ts')) return {};
    const groups = (context.options[0]?.allow ?? []).map((g) => new Set(g.split(',').map((m) => m.trim())));
    const known = (a, b) => groups.some((g) => g.has(a) && g.has(b));
    const modulesDir = context.filename.slice(0, MODULE_PATH.exec(context.filename).index) + '/server/src/modules';
    const check = (node) => {
      if (node.importKind === 'type' || node.exportKind === 'type' || !node.source) return;
      if (node.specifiers?.length && node.specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type'))
        return;
      const to = moduleOf(path.resolve(path.dirname(context.filename), node.source.value));
      if (!to || to === from || known(from, to)) return;
      cached ??= buildGraph(path.normalize(modulesDir));
      const back = pathBetween(cached, to, from);
      if (back) context.report({ node, messageId: 'cycle', data: { route: [from, ...back].join(' → ') } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};
