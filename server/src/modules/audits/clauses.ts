// The clauses of ISO 13485:2016 (sections 4 to 8, the auditable requirements), as data: the
// checklist, the programme and the findings name them by number, and a number not in this list is
// refused. The programme's coverage is judged on the second level (4.1 … 8.5): ISO 13485:2016
// 8.2.4 asks for an audit programme that takes in the processes and areas to be audited over its
// cycle, so every x.y clause should be planned once in the cycle.
export const ISO13485_CLAUSES = [
  '4.1', '4.1.1', '4.1.2', '4.1.3', '4.1.4', '4.1.5', '4.1.6',
  '4.2', '4.2.1', '4.2.2', '4.2.3', '4.2.4', '4.2.5',
  '5.1', '5.2', '5.3', '5.4', '5.4.1', '5.4.2', '5.5', '5.5.1', '5.5.2', '5.5.3', '5.6', '5.6.1', '5.6.2', '5.6.3',
  '6.1', '6.2', '6.3', '6.4', '6.4.1', '6.4.2',
  '7.1', '7.2', '7.2.1', '7.2.2', '7.2.3',
  '7.3', '7.3.1', '7.3.2', '7.3.3', '7.3.4', '7.3.5', '7.3.6', '7.3.7', '7.3.8', '7.3.9', '7.3.10',
  '7.4', '7.4.1', '7.4.2', '7.4.3',
  '7.5', '7.5.1', '7.5.2', '7.5.3', '7.5.4', '7.5.5', '7.5.6', '7.5.7', '7.5.8', '7.5.9', '7.5.10', '7.5.11',
  '7.6',
  '8.1', '8.2', '8.2.1', '8.2.2', '8.2.3', '8.2.4', '8.2.5', '8.2.6', '8.3', '8.3.1', '8.3.2', '8.3.3', '8.3.4',
  '8.4', '8.5', '8.5.1', '8.5.2', '8.5.3',
] as const; // prettier-ignore

const KNOWN = new Set<string>(ISO13485_CLAUSES);
export const isClause = (c: string) => KNOWN.has(c);

/** The 23 second-level clauses (4.1 … 8.5) a programme's cycle should cover. */
export const MAIN_CLAUSES = ISO13485_CLAUSES.filter((c) => c.split('.').length === 2);

/** The second-level clause a clause belongs to (7.5.6 → 7.5). */
export const mainClauseOf = (c: string) => c.split('.').slice(0, 2).join('.');

/** The main clauses none of `clauses` falls under, in the standard's order. */
export const uncovered = (clauses: Iterable<string>) => {
  const covered = new Set([...clauses].map(mainClauseOf));
  return MAIN_CLAUSES.filter((c) => !covered.has(c));
};
