import { execFileSync } from 'node:child_process';

// An independent reader for the tests: Python 3's standard library (zipfile + xml.etree), not our
// writer's code, opens the workbook and says what a spreadsheet would see.
const SCRIPT = String.raw`
import sys, json, zipfile, io, xml.etree.ElementTree as ET
M = '{http://schemas.openxmlformats.org/spreadsheetml/2006/main}'
R = '{http://schemas.openxmlformats.org/officeDocument/2006/relationships}'
z = zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read()))
bad = z.testzip()
ct = ET.fromstring(z.read('[Content_Types].xml'))
overrides = {o.get('PartName'): o.get('ContentType') for o in ct}
wb = ET.fromstring(z.read('xl/workbook.xml'))
sheets = [s.get('name') for s in wb.iter(M + 'sheet')]
rels = ET.fromstring(z.read('xl/_rels/workbook.xml.rels'))
target = [r.get('Target') for r in rels if r.get('Type').endswith('/worksheet')][0]
sst = [''.join(t.text or '' for t in si.iter(M + 't')) for si in ET.fromstring(z.read('xl/sharedStrings.xml')).iter(M + 'si')]
styles = ET.fromstring(z.read('xl/styles.xml'))
fonts = [f.find(M + 'b') is not None for f in styles.find(M + 'fonts')]
xfs = [(fonts[int(x.get('fontId', '0'))], x.get('quotePrefix') == '1') for x in styles.find(M + 'cellXfs')]
ws = ET.fromstring(z.read('xl/' + target))
pane = ws.find('.//' + M + 'pane')
rows = []
for row in ws.iter(M + 'row'):
    cells = {}
    for c in row.iter(M + 'c'):
        t = c.get('t'); v = c.find(M + 'v'); f = c.find(M + 'f')
        s = xfs[int(c.get('s', '0'))]
        val = None if v is None else (sst[int(v.text)] if t == 's' else (v.text == '1' if t == 'b' else float(v.text)))
        cells[c.get('r').rstrip('0123456789')] = {'type': t or 'n', 'value': val, 'bold': s[0], 'quotePrefix': s[1], 'formula': f is not None}
    rows.append(cells)
widths = [float(c.get('width')) for c in ws.iter(M + 'col')]
print(json.dumps({'bad': bad, 'names': z.namelist(), 'overrides': overrides, 'sheets': sheets, 'rows': rows,
  'frozen': None if pane is None else {'state': pane.get('state'), 'ySplit': pane.get('ySplit')}, 'widths': widths}))
`;

export interface XlsxCell {
  type: string;
  value: string | number | boolean | null;
  bold: boolean;
  quotePrefix: boolean;
  formula: boolean;
}
export interface ReadXlsx {
  bad: string | null;
  names: string[];
  overrides: Record<string, string>;
  sheets: string[];
  rows: Array<Record<string, XlsxCell>>;
  frozen: { state: string; ySplit: string } | null;
  widths: number[];
}

export function readXlsx(buf: Buffer): ReadXlsx {
  const out = execFileSync('python3', ['-c', SCRIPT], { input: buf, maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out.toString('utf8')) as ReadXlsx;
}

/** The rows as arrays of values, column A first. */
export const values = (x: ReadXlsx) => x.rows.map((r) => Object.values(r).map((c) => c.value));
