// The constrained markup that templates produce and the layout engine draws (templates/README.md).
// Deliberately tiny and strict: an unknown tag is an error, so a template typo fails loudly in
// tests instead of silently dropping content from a controlled record.
//
//   <h1>…</h1> <h2>…</h2> <h3>…</h3>      headings
//   <p style="muted|small|bold">…</p>     paragraph (<br/> breaks a line)
//   <kv><k>label</k><v>value</v>…</kv>    label/value grid
//   <table widths="2,3,1"><tr head><td>…</td></tr><tr><td status="bad|good">…</td></tr></table>
//   <img src="name" width="180"/>         an image passed to the renderer by name (PNG)
//   <sig>manifestation line</sig>         a signature line (21 CFR 11.50)
//   <stamp>CONTROLLED COPY</stamp>        a framed stamp
//   <note>…</note>                        boxed text
//   <spacer h="12"/> <pagebreak/>

export interface Node {
  tag: string;
  attrs: Record<string, string>;
  children: Array<Node | string>;
}

const BLOCK = new Set([
  'doc',
  'h1',
  'h2',
  'h3',
  'p',
  'kv',
  'k',
  'v',
  'table',
  'tr',
  'td',
  'img',
  'sig',
  'stamp',
  'note',
  'spacer',
  'pagebreak',
  'br',
]);
const VOID = new Set(['img', 'spacer', 'pagebreak', 'br']);
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#')
      return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

export class MarkupError extends Error {}

/** Parses the markup into a tree rooted at <doc>. Throws MarkupError on unknown or unbalanced tags. */
export function parseMarkup(src: string): Node {
  const root: Node = { tag: 'doc', attrs: {}, children: [] };
  const stack: Node[] = [root];
  const re = /<!--[\s\S]*?-->|<(\/?)([a-z0-9]+)((?:\s+[a-z-]+(?:="[^"]*")?)*)\s*(\/?)>/gi;
  let last = 0;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    if (m.index > last) pushText(stack[stack.length - 1], src.slice(last, m.index));
    last = re.lastIndex;
    if (m[0].startsWith('<!--')) continue;
    const [, closing, rawTag, rawAttrs, selfClosing] = m;
    const tag = rawTag.toLowerCase();
    if (!BLOCK.has(tag)) throw new MarkupError(`unknown tag <${tag}>`);
    if (closing) {
      if (tag === 'doc') continue;
      const open = stack.pop();
      if (!open || open.tag !== tag || stack.length === 0) throw new MarkupError(`unbalanced </${tag}>`);
      continue;
    }
    const node: Node = { tag, attrs: parseAttrs(rawAttrs), children: [] };
    if (tag === 'doc') {
      Object.assign(root.attrs, node.attrs);
      continue;
    }
    stack[stack.length - 1].children.push(node);
    if (!selfClosing && !VOID.has(tag)) stack.push(node);
  }
  if (last < src.length) pushText(stack[stack.length - 1], src.slice(last));
  if (stack.length !== 1) throw new MarkupError(`unclosed <${stack[stack.length - 1].tag}>`);
  return root;
}

function parseAttrs(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of raw.matchAll(/([a-z-]+)(?:="([^"]*)")?/gi)) out[m[1].toLowerCase()] = decodeEntities(m[2] ?? '');
  return out;
}

function pushText(parent: Node, raw: string) {
  if (!raw.trim()) return;
  parent.children.push(decodeEntities(raw));
}

/** The text of a node: whitespace collapsed, <br/> kept as "\n". */
export function textOf(n: Node | string): string {
  if (typeof n === 'string') return n.replace(/\s+/g, ' ');
  if (n.tag === 'br') return '\n';
  return n.children
    .map(textOf)
    .join('')
    .replace(/ *\n */g, '\n')
    .trim();
}

export const childrenTagged = (n: Node, tag: string) =>
  n.children.filter((c): c is Node => typeof c !== 'string' && c.tag === tag);
