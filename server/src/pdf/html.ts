import { childrenTagged, textOf, type Node } from './markup.ts';

// The same markup as HTML: what a browser would be given to print the same record. Used by the
// benchmark (bench/pdf.ts) to compare the engine with Chromium on identical content.
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const text = (n: Node | string) => esc(textOf(n)).replace(/\n/g, '<br>');

export function markupToHtml(root: Node, images: Record<string, Uint8Array> = {}): string {
  return root.children.map((c) => (typeof c === 'string' ? '' : block(c, images))).join('\n');
}

function block(n: Node, images: Record<string, Uint8Array>): string {
  switch (n.tag) {
    case 'h1':
    case 'h2':
    case 'h3':
      return `<${n.tag}>${text(n)}</${n.tag}>`;
    case 'p':
      return `<p class="${esc(n.attrs.style ?? '')}">${text(n)}</p>`;
    case 'kv': {
      const ks = childrenTagged(n, 'k'),
        vs = childrenTagged(n, 'v');
      return `<table class="kv">${ks.map((k, i) => `<tr><th>${text(k)}</th><td>${text(vs[i] ?? '')}</td></tr>`).join('')}</table>`;
    }
    case 'table': {
      const weights = (n.attrs.widths ?? '')
        .split(',')
        .map(Number)
        .filter((x) => x > 0);
      const total = weights.reduce((a, b) => a + b, 0) || 1;
      const cols = weights.map((w) => `<col style="width:${((w / total) * 100).toFixed(1)}%">`).join('');
      const row = (tr: Node) =>
        `<tr${'group' in tr.attrs ? ' class="group"' : ''}>${childrenTagged(tr, 'td')
          .map(
            (td) =>
              `<td${td.attrs.colspan ? ` colspan="${esc(td.attrs.colspan)}"` : ''} class="${esc(td.attrs.status ?? '')} ${esc(td.attrs.style ?? '')}">${text(td)}</td>`,
          )
          .join('')}</tr>`;
      const trs = childrenTagged(n, 'tr');
      return `<table class="grid" style="font-size:${Number(n.attrs.size ?? 8)}pt"><colgroup>${cols}</colgroup><thead>${trs
        .filter((r) => 'head' in r.attrs)
        .map(row)
        .join('')}</thead><tbody>${trs
        .filter((r) => !('head' in r.attrs))
        .map(row)
        .join('')}</tbody></table>`;
    }
    case 'img': {
      const png = images[n.attrs.src ?? ''];
      return png
        ? `<img src="data:image/png;base64,${Buffer.from(png).toString('base64')}" style="width:${Number(n.attrs.width ?? 200)}pt">`
        : '';
    }
    case 'sig':
      return `<div class="sig${n.attrs.valid === 'false' ? ' bad' : ''}">${text(n)}</div>`;
    case 'stamp':
      return `<div class="stamp">${text(n)}</div>`;
    case 'note':
      return `<div class="note">${text(n)}</div>`;
    case 'spacer':
      return `<div style="height:${Number(n.attrs.h ?? 8)}pt"></div>`;
    case 'pagebreak':
      return '<div style="break-after:page"></div>';
    default:
      return '';
  }
}

export const HTML_CSS = `
body{font-family:'Noto Sans SC',sans-serif;font-size:9pt;color:#1a1a1f;margin:0}
h1{font-size:16pt;margin:10pt 0 8pt} h2{font-size:12pt;margin:12pt 0 6pt;border-bottom:0.6pt solid #bfbfc7} h3{font-size:10pt;margin:8pt 0 4pt}
p{margin:0 0 4pt} p.muted{color:#6b6b75} p.small{font-size:7.5pt}
table{border-collapse:collapse;width:100%} table.kv th{text-align:left;color:#6b6b75;width:130pt;font-weight:bold;vertical-align:top}
table.grid td{border:0.3pt solid #bfbfc7;padding:3pt;vertical-align:top;overflow-wrap:anywhere} table.grid thead td{font-weight:bold;background:#eef0f5}
tr{break-inside:avoid} tr.group td{background:#eef0f5;font-weight:bold} td.bad{color:#bf1414} td.good{color:#0d7333}
.sig{border-left:2pt solid #0d7333;padding:2pt 8pt;margin:2pt 0;font-size:8.5pt} .sig.bad{border-color:#bf1414}
.stamp{display:inline-block;border:2pt solid #c71a1a;color:#c71a1a;font-weight:bold;font-size:14pt;padding:4pt 12pt;margin:4pt 0}
.note{background:#eef0f5;padding:5pt 8pt;font-size:8.5pt}`;
