import type { PDFFont } from 'pdf-lib';
import { childrenTagged, textOf, type Node } from './markup.ts';
import { wrapText } from './text.ts';
import { A4, COLORS, MARGIN, lineHeight } from './page.ts';
import type { Flow } from './layout.ts';

// Tables break between rows; the header rows (<tr head>) are drawn again at the top of every
// page the table continues on, so a page read on its own still says what its columns are.
interface Cell {
  lines: string[];
  x: number;
  w: number;
  font: PDFFont;
  status: string;
}
interface Row {
  cells: Cell[];
  height: number;
  head: boolean;
  fill: boolean;
}

const PAD = 3;

export function drawTable(flow: Flow, table: Node) {
  const size = Number(table.attrs.size ?? 8),
    lh = lineHeight(size);
  const trs = childrenTagged(table, 'tr');
  const ncols = Math.max(
    1,
    ...trs.map((tr) => childrenTagged(tr, 'td').reduce((n, td) => n + Number(td.attrs.colspan ?? 1), 0)),
  );
  const weights = (table.attrs.widths ?? '')
    .split(',')
    .map(Number)
    .filter((x) => x > 0);
  while (weights.length < ncols) weights.push(1);
  const total = weights.slice(0, ncols).reduce((a, b) => a + b, 0);
  const xs = [0];
  for (let i = 0; i < ncols; i++) xs.push(xs[i] + (weights[i] / total) * flow.width);

  const rows: Row[] = trs.map((tr) => {
    const head = 'head' in tr.attrs;
    let col = 0;
    const cells = childrenTagged(tr, 'td').map((td) => {
      const span = Math.max(1, Number(td.attrs.colspan ?? 1));
      const x = xs[Math.min(col, ncols)],
        w = xs[Math.min(col + span, ncols)] - x;
      col += span;
      const font = head || td.attrs.style === 'bold' ? flow.fonts.bold : flow.fonts.regular;
      return { lines: wrapText(font, textOf(td), size, w - 2 * PAD), x, w, font, status: td.attrs.status ?? '' };
    });
    const height = Math.max(1, ...cells.map((c) => c.lines.length)) * lh + 2 * PAD - 2;
    return { cells, height, head, fill: head || 'group' in tr.attrs };
  });
  const header = rows.filter((r) => r.head);
  const headerH = header.reduce((h, r) => h + r.height, 0);
  const body = splitTallRows(
    rows.filter((r) => !r.head),
    A4.height - MARGIN.top - MARGIN.bottom - headerH - 4,
    lh,
  );

  let segTop = flow.y;
  const closeSegment = () => {
    // vertical rules for the rows drawn on this page, drawn once
    if (segTop === flow.y) return;
    for (const x of [0, flow.width]) flow.canvas.line(flow.left + x, segTop, flow.left + x, flow.y, 0.5, COLORS.rule);
  };
  const drawRow = (r: Row) => {
    const top = flow.y;
    if (r.fill) flow.canvas.fillRect(flow.left, top - r.height, flow.width, r.height, COLORS.fill);
    for (const c of r.cells) {
      const color = c.status === 'bad' ? COLORS.bad : c.status === 'good' ? COLORS.good : COLORS.text;
      c.lines.forEach((l, i) =>
        flow.text(l, flow.left + c.x + PAD, top - PAD - (i + 1) * lh + lh * 0.27, size, c.font, color),
      );
      if (c.x > 0) flow.canvas.line(flow.left + c.x, top, flow.left + c.x, top - r.height, 0.3, COLORS.rule);
    }
    flow.y -= r.height;
    flow.canvas.line(flow.left, flow.y, flow.left + flow.width, flow.y, r.head ? 0.7 : 0.3, COLORS.rule);
  };
  const startSegment = (withHeader: boolean) => {
    segTop = flow.y;
    flow.canvas.line(flow.left, flow.y, flow.left + flow.width, flow.y, 0.7, COLORS.rule);
    if (withHeader) header.forEach(drawRow);
  };

  flow.ensure(headerH + (body[0]?.height ?? 0) + 2); // never a header alone at a page foot
  startSegment(false);
  header.forEach(drawRow);
  for (const r of body) {
    if (flow.y - r.height < MARGIN.bottom && flow.y < A4.height - MARGIN.top - headerH) {
      closeSegment();
      flow.newPage();
      startSegment(true);
    }
    drawRow(r);
  }
  closeSegment();
  flow.y -= 8;
}

/** A row taller than a page (a long comment) continues on the next page in slices. */
function splitTallRows(rows: Row[], maxHeight: number, lh: number): Row[] {
  const maxLines = Math.max(1, Math.floor((maxHeight - 2 * PAD + 2) / lh));
  return rows.flatMap((r) => {
    if (r.height <= maxHeight) return [r];
    const n = Math.max(...r.cells.map((c) => c.lines.length));
    const out: Row[] = [];
    for (let from = 0; from < n; from += maxLines) {
      const cells = r.cells.map((c) => ({ ...c, lines: c.lines.slice(from, from + maxLines) }));
      out.push({ ...r, cells, height: Math.max(1, ...cells.map((c) => c.lines.length)) * lh + 2 * PAD - 2 });
    }
    return out;
  });
}
