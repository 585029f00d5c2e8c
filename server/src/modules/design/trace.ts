import type { ElementKind } from './events.ts';

// The trace graph in memory (pure, no I/O): which kinds may be linked, cycle detection, the live
// trace matrix and the gap check. The service reads a project's elements and links with one
// query each and hands them here (ISO 13485:2016 7.3.2 f: traceability of outputs to inputs).

/** Which kinds may be traced to which: need → input → output → verification, validation of needs. */
export const LINKABLE: Record<ElementKind, ElementKind[]> = {
  need: ['input', 'validation'],
  input: ['input', 'output', 'verification'], // input → input: a derived requirement
  output: ['output', 'verification', 'validation'], // output → output: a sub-assembly
  verification: [],
  validation: [],
  review: [],
  transfer: [],
};

export interface TraceElement {
  id: string;
  kind: ElementKind;
  code: string;
  title: { zh: string; en: string };
  state: 'draft' | 'approved';
  current: string;
  /** The result of the latest approved revision (verification, validation), else null. */
  result: 'pending' | 'pass' | 'fail' | null;
  rerunOf: string | null;
}
export interface TraceLink {
  id: string;
  from: string;
  to: string;
  suspect: { element: { id: string; code: string }; revision: string } | null;
}

export const GAP_KINDS = [
  'need_without_input',
  'input_not_traced',
  'input_without_output',
  'input_without_passing_verification',
  'output_not_traced',
  'verification_failed_no_rerun',
  'suspect_link',
] as const;
export type GapKind = (typeof GAP_KINDS)[number];
export interface Gap {
  kind: GapKind;
  element: { id: string; code: string; kind: ElementKind };
  link?: string;
}

function adjacency(links: TraceLink[]) {
  const out = new Map<string, TraceLink[]>();
  const into = new Map<string, TraceLink[]>();
  for (const l of links) {
    (out.get(l.from) ?? out.set(l.from, []).get(l.from)!).push(l);
    (into.get(l.to) ?? into.set(l.to, []).get(l.to)!).push(l);
  }
  return { out, into };
}

/** Whether adding from → to closes a cycle: is `from` reachable from `to` already? */
export function closesCycle(links: Array<{ from: string; to: string }>, from: string, to: string): boolean {
  if (from === to) return true;
  const out = new Map<string, string[]>();
  for (const l of links) (out.get(l.from) ?? out.set(l.from, []).get(l.from)!).push(l.to);
  const seen = new Set<string>([to]);
  const stack = [to];
  while (stack.length) {
    const n = stack.pop()!;
    for (const m of out.get(n) ?? []) {
      if (m === from) return true;
      if (!seen.has(m)) {
        seen.add(m);
        stack.push(m);
      }
    }
  }
  return false;
}

/** Every link downstream of `elementId` (transitively): what a new revision of it makes suspect. */
export function downstreamLinks(links: Array<{ id: string; from: string; to: string }>, elementId: string) {
  const out = new Map<string, Array<{ id: string; to: string }>>();
  for (const l of links) (out.get(l.from) ?? out.set(l.from, []).get(l.from)!).push(l);
  const found: string[] = [];
  const seen = new Set([elementId]);
  const stack = [elementId];
  while (stack.length) {
    for (const l of out.get(stack.pop()!) ?? []) {
      found.push(l.id);
      if (!seen.has(l.to)) {
        seen.add(l.to);
        stack.push(l.to);
      }
    }
  }
  return found;
}

/** An element as the matrix shows it, sent once however many rows name it. */
export interface MatrixElement {
  id: string;
  kind: ElementKind;
  code: string;
  title: { zh: string; en: string };
  state: 'draft' | 'approved';
  revision: string;
  result: 'pending' | 'pass' | 'fail' | null;
}
/** A trace link, once: its id, its ends (positions in `elements`) and whether it is suspect. */
export interface MatrixLink {
  id: string;
  from: number;
  to: number;
  suspect: boolean;
}
/**
 * One row: a path need → input → output → verification as positions in `elements`, then the
 * positions in `links` of the links that trace the input, the output and the verification to the
 * cell on their left (null where the cell is empty, or for an input traced to no need).
 */
export type MatrixRow = [
  need: number | null,
  input: number | null,
  output: number | null,
  verification: number | null,
  inputLink: number | null,
  outputLink: number | null,
  verificationLink: number | null,
];
/**
 * The live trace matrix, compact: each element and link once, rows of positions. Sent as one
 * object of cells per row it was 12.4 MB for 2,000 elements and 5,000 links (7,383 rows, each
 * repeating its need's validations) and JSON encode + decode took most of a 1.9 s request
 * (bench/designTraceMatrix); this holds the same information in well under a tenth of the bytes.
 */
export interface TraceMatrix {
  elements: MatrixElement[];
  links: MatrixLink[];
  rows: MatrixRow[];
  /** Each need's validations, once per need, not per row: [need, validation, link] positions. */
  validations: Array<[need: number, validation: number, link: number]>;
  /** How many of the project's links are suspect. */
  suspect: number;
}

/** The live trace matrix: one row per path need → input → output → verification, with the need's validations. */
export function traceMatrix(elements: TraceElement[], links: TraceLink[]): TraceMatrix {
  const byId = new Map(elements.map((e) => [e.id, e]));
  const { out, into } = adjacency(links);
  const shown: MatrixElement[] = [];
  const at = new Map<string, number>();
  const used: MatrixLink[] = [];
  const linkAt = new Map<string, number>();
  const el = (e: TraceElement) => {
    let n = at.get(e.id);
    if (n === undefined) {
      at.set(e.id, (n = shown.length));
      shown.push({
        id: e.id,
        kind: e.kind,
        code: e.code,
        title: e.title,
        state: e.state,
        revision: e.current,
        result: e.result,
      });
    }
    return n;
  };
  const ln = (l: TraceLink | null) => {
    if (!l) return null;
    let n = linkAt.get(l.id);
    if (n === undefined) {
      const from = el(byId.get(l.from)!),
        to = el(byId.get(l.to)!);
      linkAt.set(l.id, (n = used.length));
      used.push({ id: l.id, from, to, suspect: !!l.suspect });
    }
    return n;
  };
  // each element's children grouped by kind, built once (the rows ask for them again and again)
  const kids = new Map<string, Map<ElementKind, Array<{ e: TraceElement; l: TraceLink }>>>();
  for (const [id, ls] of out) {
    const byKind = new Map<ElementKind, Array<{ e: TraceElement; l: TraceLink }>>();
    for (const l of ls) {
      const e = byId.get(l.to);
      if (e) (byKind.get(e.kind) ?? byKind.set(e.kind, []).get(e.kind)!).push({ e, l });
    }
    kids.set(id, byKind);
  }
  const none: Array<{ e: TraceElement; l: TraceLink }> = [];
  const children = (id: string, kind: ElementKind) => kids.get(id)?.get(kind) ?? none;
  /** An element's children of its own kind, transitively (derived inputs, sub-assemblies). */
  const withDerived = (id: string, kind: ElementKind) => {
    const all: Array<{ e: TraceElement; l: TraceLink }> = [];
    const seen = new Set<string>();
    const walk = (from: string) => {
      for (const c of children(from, kind))
        if (!seen.has(c.e.id)) {
          seen.add(c.e.id);
          all.push(c);
          walk(c.e.id);
        }
    };
    walk(id);
    return all;
  };
  const rows: MatrixRow[] = [];
  const byCode = (a: TraceElement, b: TraceElement) => a.code.localeCompare(b.code);
  const inputRows = (need: number | null, ins: Array<{ e: TraceElement; l: TraceLink | null }>) => {
    if (!ins.length) rows.push([need, null, null, null, null, null, null]);
    for (const i of ins) {
      const input = el(i.e),
        il = ln(i.l);
      const outs = i.e.kind === 'input' ? withDerivedOutputs(i.e.id) : [];
      const ivs = children(i.e.id, 'verification');
      if (!outs.length && !ivs.length) rows.push([need, input, null, null, il, null, null]);
      for (const v of ivs) rows.push([need, input, null, el(v.e), il, null, ln(v.l)]);
      for (const o of outs) {
        const output = el(o.e),
          ol = ln(o.l);
        const ovs = children(o.e.id, 'verification');
        if (!ovs.length) rows.push([need, input, output, null, il, ol, null]);
        for (const v of ovs) rows.push([need, input, output, el(v.e), il, ol, ln(v.l)]);
      }
    }
  };
  const derivedOutputs = new Map<string, Array<{ e: TraceElement; l: TraceLink }>>();
  const withDerivedOutputs = (inputId: string) => {
    let all = derivedOutputs.get(inputId);
    if (!all) {
      const direct = children(inputId, 'output');
      all = [...direct];
      for (const d of direct) all.push(...withDerived(d.e.id, 'output'));
      derivedOutputs.set(inputId, all);
    }
    return all;
  };
  const validations: TraceMatrix['validations'] = [];
  const needs = elements.filter((e) => e.kind === 'need').sort(byCode);
  for (const n of needs) {
    const need = el(n);
    for (const v of children(n.id, 'validation')) validations.push([need, el(v.e), ln(v.l)!]);
    inputRows(need, withDerived(n.id, 'input'));
  }
  // inputs traced to no need still show, on rows of their own
  const orphans = elements
    .filter((e) => e.kind === 'input' && !(into.get(e.id) ?? []).length)
    .sort(byCode)
    .map((e) => ({ e, l: null }));
  if (orphans.length) inputRows(null, orphans);
  return { elements: shown, links: used, rows, validations, suspect: links.filter((l) => l.suspect).length };
}

/** Open issues of the trace, in both directions (7.3.3–7.3.7). */
export function gapCheck(elements: TraceElement[], links: TraceLink[]): Gap[] {
  const byId = new Map(elements.map((e) => [e.id, e]));
  const { out, into } = adjacency(links);
  const kindsOut = (id: string, kind: ElementKind) => (out.get(id) ?? []).filter((l) => byId.get(l.to)?.kind === kind);
  const kindsIn = (id: string, ...kinds: ElementKind[]) =>
    (into.get(id) ?? []).filter((l) => kinds.includes(byId.get(l.from)?.kind as ElementKind));
  const passing = (id: string) => kindsOut(id, 'verification').some((l) => byId.get(l.to)!.result === 'pass');
  const gaps: Gap[] = [];
  const gap = (kind: GapKind, e: TraceElement, link?: string) =>
    gaps.push({ kind, element: { id: e.id, code: e.code, kind: e.kind }, ...(link ? { link } : {}) });
  const rerunPassed = new Set(
    elements.filter((e) => e.kind === 'verification' && e.rerunOf && e.result === 'pass').map((e) => e.rerunOf!),
  );
  for (const e of [...elements].sort((a, b) => a.code.localeCompare(b.code))) {
    if (e.kind === 'need' && !kindsOut(e.id, 'input').length) gap('need_without_input', e);
    if (e.kind === 'input') {
      const derived = kindsOut(e.id, 'input').length > 0; // decomposed: its derived inputs carry the trace on
      if (!kindsIn(e.id, 'need', 'input').length) gap('input_not_traced', e);
      const outs = kindsOut(e.id, 'output');
      if (!derived && !outs.length) gap('input_without_output', e);
      if (!derived && !passing(e.id) && !outs.some((l) => passing(l.to))) gap('input_without_passing_verification', e);
    }
    if (e.kind === 'output' && !kindsIn(e.id, 'input', 'output').length) gap('output_not_traced', e);
    if (e.kind === 'verification' && e.result === 'fail' && !rerunPassed.has(e.id))
      gap('verification_failed_no_rerun', e);
  }
  for (const l of links) if (l.suspect && byId.get(l.from)) gap('suspect_link', byId.get(l.from)!, l.id);
  return gaps;
}
