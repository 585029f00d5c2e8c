import type { TraceCell, TraceMatrix, TraceRow } from '@/api/design';

/**
 * The server sends the trace matrix compact (each element and link once, rows of ids); the page
 * draws cells. The cells share their element's fields, so thousands of rows cost little.
 */
export function expandMatrix(m: TraceMatrix): TraceRow[] {
  const cell = (id: string | null, link: string | null): TraceCell | null => {
    if (!id) return null;
    const e = m.elements[id];
    const l = link ? m.links[link] : undefined;
    return {
      id,
      code: e.code,
      title: e.title,
      state: e.state,
      revision: e.revision,
      result: e.result,
      link: link && l ? { id: link, suspect: l.suspect } : null,
    };
  };
  const validations = new Map<string, TraceCell[]>();
  for (const [need, vs] of Object.entries(m.validations))
    validations.set(
      need,
      vs.map(([v, l]) => cell(v, l)!),
    );
  return m.rows.map(([need, input, output, verification, il, ol, vl]) => ({
    need: cell(need, null),
    input: cell(input, il),
    output: cell(output, ol),
    verification: cell(verification, vl),
    validations: (need && validations.get(need)) || [],
  }));
}
