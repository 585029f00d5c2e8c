import type { TraceCell, TraceMatrix, TraceRow } from '@/api/design';

/**
 * The server sends the trace matrix compact (each element and link once, rows of positions); the
 * page draws one cell per element per row, as it did when the server sent the cells.
 */
export function expandMatrix(m: TraceMatrix): TraceRow[] {
  const cell = (at: number | null, link: number | null): TraceCell | null => {
    if (at === null) return null;
    const e = m.elements[at];
    const l = link === null ? undefined : m.links[link];
    return {
      id: e.id,
      code: e.code,
      title: e.title,
      state: e.state,
      revision: e.revision,
      result: e.result,
      link: l ? { id: l.id, suspect: l.suspect } : null,
    };
  };
  const validations = new Map<number, TraceCell[]>();
  for (const [need, v, l] of m.validations)
    (validations.get(need) ?? validations.set(need, []).get(need)!).push(cell(v, l)!);
  return m.rows.map(([need, input, output, verification, il, ol, vl]) => ({
    need: cell(need, null),
    input: cell(input, il),
    output: cell(output, ol),
    verification: cell(verification, vl),
    validations: (need !== null && validations.get(need)) || [],
  }));
}
