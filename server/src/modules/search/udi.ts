// A UDI as a scanner or a label gives it: GS1 element strings (GS1 General Specifications 3.2, the
// application identifiers (01) GTIN, (10) batch/lot, (21) serial number, with the dates (11)
// production, (13) packaging, (15) best before, (17) expiry). Two forms: the human-readable one with
// the AIs in parentheses, "(01)06971234500014(17)291130(10)L2612-00015", and the raw one a scanner
// sends, "01069712345000141729113010L2612-00015", where a variable-length field (10, 21) ends at a
// GS character (ASCII 29) or at the end. A symbology identifier (]C1, ]d2, ]Q3) in front is dropped.

export interface Udi {
  gtin?: string;
  lot?: string;
  serial?: string;
}

const FIXED: Record<string, number> = { '01': 14, '11': 6, '13': 6, '15': 6, '16': 6, '17': 6 };
const VARIABLE = new Set(['10', '21']);
const GS = '\u001d';

function store(out: Udi, ai: string, value: string) {
  if (ai === '01') out.gtin = value;
  if (ai === '10') out.lot = value;
  if (ai === '21') out.serial = value;
}

function parseBracketed(s: string): Udi | null {
  const out: Udi = {};
  const re = /\((\d{2})\)([^(]+)/g;
  let consumed = 0;
  for (const m of s.matchAll(re)) {
    if (m.index !== consumed) return null;
    const [, ai, value] = m;
    if (!(ai in FIXED) && !VARIABLE.has(ai)) return null;
    if (ai in FIXED && !new RegExp(`^\\d{${FIXED[ai]}}$`).test(value)) return null;
    store(out, ai, value.replace(new RegExp(GS, 'g'), ''));
    consumed += m[0].length;
  }
  return consumed === s.length && consumed > 0 ? out : null;
}

function parseRaw(s: string): Udi | null {
  if (!/^01\d{14}/.test(s)) return null; // a raw string is read only when it starts with a GTIN
  const out: Udi = {};
  let i = 0;
  while (i < s.length) {
    if (s[i] === GS) {
      i++;
      continue;
    }
    const ai = s.slice(i, i + 2);
    i += 2;
    if (ai in FIXED) {
      const value = s.slice(i, i + FIXED[ai]);
      if (!new RegExp(`^\\d{${FIXED[ai]}}$`).test(value)) return null;
      store(out, ai, value);
      i += FIXED[ai];
    } else if (VARIABLE.has(ai)) {
      const end = s.indexOf(GS, i);
      const value = s.slice(i, end < 0 ? s.length : end).slice(0, 20);
      if (!value) return null;
      store(out, ai, value);
      i += value.length;
    } else return null;
  }
  return out;
}

/** The GTIN, lot and serial of a UDI element string, or null when `text` is not one. */
export function parseUdi(text: string): Udi | null {
  const s = text.trim().replace(/^\][A-Za-z]\d/, '');
  const udi = s.startsWith('(') ? parseBracketed(s) : parseRaw(s);
  return udi && (udi.gtin || udi.lot || udi.serial) ? udi : null;
}
