// ISO 2859-1 (= ANSI/ASQ Z1.4) single sampling, normal inspection, general inspection level II.
// Table I maps the lot size to a sample size code letter; Table II-A gives the sample size and
// the acceptance/rejection numbers for the AQL, where an arrow sends the user to the first plan
// below (↓) or above (↑) it. The table's cells follow diagonals: with i the letter's row and j
// the AQL's column, k = i + j − 14 is 0 on the "0 1" diagonal, 1 on the ↑ diagonal after it,
// 2 on the ↓ diagonal, 3… on 1 2, 2 3, 3 4, 5 6, 7 8, 10 11, 14 15, 21 22, and ↑ beyond; k < 0 is ↓.
export const LETTERS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M', 'N', 'P', 'Q', 'R'] as const;
export type Letter = (typeof LETTERS)[number];
export const SAMPLE_SIZES = [2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800, 1250, 2000];
/** The largest sample Table II-A draws (letter R); a 100 % inspection is smaller than it. */
export const SAMPLE_SIZE_MAX = SAMPLE_SIZES[SAMPLE_SIZES.length - 1];
/** Table II-A columns from 0.010 to 10 (percent nonconforming). */
export const AQL_COLUMNS = [
  0.01, 0.015, 0.025, 0.04, 0.065, 0.1, 0.15, 0.25, 0.4, 0.65, 1, 1.5, 2.5, 4, 6.5, 10,
] as const;
const AC_DIAGONALS = [1, 2, 3, 5, 7, 10, 14, 21];

/** Table I, general inspection level II: upper lot-size bound of each letter (A…Q). */
const LOT_BOUNDS: Array<[number, Letter]> = [
  [8, 'A'],
  [15, 'B'],
  [25, 'C'],
  [50, 'D'],
  [90, 'E'],
  [150, 'F'],
  [280, 'G'],
  [500, 'H'],
  [1200, 'J'],
  [3200, 'K'],
  [10_000, 'L'],
  [35_000, 'M'],
  [150_000, 'N'],
  [500_000, 'P'],
  [Infinity, 'Q'],
];

export function codeLetter(lotSize: number): Letter {
  if (!Number.isInteger(lotSize) || lotSize < 2) throw new RangeError('lot size must be an integer of at least 2');
  return LOT_BOUNDS.find(([max]) => lotSize <= max)![1];
}

type Cell = { ac: number; re: number } | 'down' | 'up';
/** One cell of Table II-A as printed (an arrow or Ac/Re). */
export function tableCell(letter: Letter, aql: number): Cell {
  const i = LETTERS.indexOf(letter);
  const j = AQL_COLUMNS.indexOf(aql as (typeof AQL_COLUMNS)[number]);
  if (i < 0 || j < 0) throw new RangeError(`no Table II-A column for AQL ${aql}`);
  const k = i + j - 14;
  if (k < 0 || k === 2) return 'down';
  if (k === 0) return { ac: 0, re: 1 };
  // row A has nothing above it: its one ↑ cell (AQL 10) points down to the next plan instead
  if (k === 1 || k > 10) return i === 0 ? 'down' : 'up';
  const ac = AC_DIAGONALS[k - 3];
  return { ac, re: ac + 1 };
}

export interface SamplingPlan {
  lotSize: number;
  letter: Letter;
  planLetter: Letter;
  sampleSize: number;
  ac: number;
  re: number;
  aql: number;
  hundredPercent: boolean;
}

/** The plan for a lot: letter from Table I, then Table II-A with its arrows followed. */
export function samplingPlan(lotSize: number, aql: number): SamplingPlan {
  const letter = codeLetter(lotSize);
  let i = LETTERS.indexOf(letter);
  let cell = tableCell(letter, aql);
  const direction = cell; // an arrow is followed in one direction until a plan is found
  while (cell === 'down' || cell === 'up') {
    i += direction === 'down' ? 1 : -1;
    if (i < 0 || i >= LETTERS.length)
      throw new RangeError(`Table II-A has no plan for AQL ${aql} from letter ${letter}`);
    cell = tableCell(LETTERS[i], aql);
  }
  const n = SAMPLE_SIZES[i];
  // when the sample would be the whole lot or more, every unit is inspected (same Ac/Re)
  const hundredPercent = n >= lotSize;
  return {
    lotSize,
    letter,
    planLetter: LETTERS[i],
    sampleSize: hundredPercent ? lotSize : n,
    ac: cell.ac,
    re: cell.re,
    aql,
    hundredPercent,
  };
}
