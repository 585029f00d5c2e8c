import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildUdi, GS, type UdiElement } from './udi.ts';
import { renderLabelPng, renderLabelSheetPdf, type LabelData } from './render.ts';

const GTIN = '09506000134352'; // valid check digit
const dir = mkdtempSync(path.join(tmpdir(), 'labels-'));

/** Decodes the first DataMatrix in an image; FNC1 is printed as GS (ASCII 29), as a GS1 scanner sends it. */
function dmtxread(file: string): string {
  return execFileSync('dmtxread', ['-G', '29', '-N1', '-m', '20000', file], { encoding: 'latin1', timeout: 30_000 });
}

const label = (udi: ReturnType<typeof buildUdi>): LabelData => ({
  udi,
  partNumber: 'FG-INF-100',
  name: { zh: '一次性使用输液器', en: 'Infusion set, single use' },
});
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as { code: string; status: number }).code;
  }
  return 'no error';
};

describe('UDI element strings', () => {
  it('orders fixed-length AIs first and separates variable-length ones with GS', () => {
    const udi = buildUdi(
      { gtin: GTIN, expiry: '2027-06-30', productionDate: '260115', lot: 'L2026-001', serial: 'SN0001' },
      ['21', '10', '17', '01', '11'],
    );
    expect(udi.hri).toBe(`(01)${GTIN}(11)260115(17)270630(10)L2026-001(21)SN0001`);
    expect(udi.elementString).toBe(`01${GTIN}112601151727063010L2026-001${GS}21SN0001`);
    expect(udi.parts.map((p) => p.ai)).toEqual(['01', '11', '17', '10', '21']);
  });

  it('needs no separator after the last field and allows day 00 in an expiry', () => {
    const udi = buildUdi({ gtin: GTIN, expiry: '271200', lot: 'A' }, ['01', '17', '10']);
    expect(udi.elementString).toBe(`01${GTIN}1727120010A`);
  });

  it('refuses a bad GTIN, date, lot or serial with a clear code', () => {
    const all: UdiElement[] = ['01', '17', '10', '21'];
    const ok = { gtin: GTIN, expiry: '2027-06-30', lot: 'L1', serial: 'S1' };
    expect(codeOf(() => buildUdi({ ...ok, gtin: '09506000134353' }, all))).toBe('UDI_GTIN_INVALID'); // wrong check digit
    expect(codeOf(() => buildUdi({ ...ok, gtin: '9506000134352' }, all))).toBe('UDI_GTIN_INVALID'); // 13 digits
    expect(codeOf(() => buildUdi({ ...ok, expiry: '2027-02-30' }, all))).toBe('UDI_DATE_INVALID');
    expect(codeOf(() => buildUdi({ ...ok, expiry: '30/06/2027' }, all))).toBe('UDI_DATE_INVALID');
    expect(codeOf(() => buildUdi({ ...ok, productionDate: '260100' }, ['01', '11']))).toBe('UDI_DATE_INVALID'); // 00 only for (17)
    expect(codeOf(() => buildUdi({ ...ok, lot: 'L'.repeat(21) }, all))).toBe('UDI_VALUE_TOO_LONG');
    expect(codeOf(() => buildUdi({ ...ok, lot: '批号1' }, all))).toBe('UDI_BAD_CHARACTER');
    expect(codeOf(() => buildUdi({ ...ok, lot: 'A B' }, all))).toBe('UDI_BAD_CHARACTER');
    expect(codeOf(() => buildUdi({ ...ok, serial: 'S^1' }, all))).toBe('UDI_BAD_CHARACTER');
    expect(codeOf(() => buildUdi({ ...ok, serial: undefined }, all))).toBe('UDI_VALUE_MISSING');
    expect(codeOf(() => buildUdi(ok, ['17', '10']))).toBe('UDI_DI_REQUIRED');
    expect(codeOf(() => buildUdi(ok, ['01', '99' as UdiElement]))).toBe('UDI_UNKNOWN_AI');
    try {
      buildUdi({ ...ok, gtin: 'x' }, all);
    } catch (e) {
      expect((e as { status: number }).status).toBe(400);
    }
  });
});

describe('label rendering', () => {
  it('renders a PNG whose DataMatrix decodes to the GS1 element string', async () => {
    const udi = buildUdi({ gtin: GTIN, expiry: '2027-06-30', lot: 'L2026-001', serial: 'SN0001' }, [
      '01',
      '17',
      '10',
      '21',
    ]);
    const png = await renderLabelPng(label(udi));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const file = path.join(dir, 'one.png');
    writeFileSync(file, png);
    // FNC1 in first position (GS1 mode) shows as a leading GS
    expect(dmtxread(file)).toBe(`${GS}01${GTIN}17270630${'10'}L2026-001${GS}21SN0001`);
  });

  it('encodes values with parentheses (CSET 82) that the bracketed syntax cannot carry', async () => {
    const udi = buildUdi({ gtin: GTIN, lot: 'A(1)', serial: 'B)2' }, ['01', '10', '21']);
    const file = path.join(dir, 'parens.png');
    writeFileSync(file, await renderLabelPng(label(udi), { text: false }));
    expect(dmtxread(file)).toBe(`${GS}01${GTIN}10A(1)${GS}21B)2`);
  });

  it('prints a PDF sheet whose rasterized symbols decode', async () => {
    const labels = ['SN0001', 'SN0002', 'SN0003'].map((serial) =>
      label(buildUdi({ gtin: GTIN, expiry: '2027-06-30', lot: 'L2026-001', serial }, ['01', '17', '10', '21'])),
    );
    const pdf = await renderLabelSheetPdf(labels, 'zh-CN');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const file = path.join(dir, 'sheet.pdf');
    writeFileSync(file, pdf);
    execFileSync('pdftoppm', ['-r', '300', '-png', '-f', '1', '-l', '1', file, path.join(dir, 'sheet')], {
      timeout: 30_000,
    });
    // top-left label only (dmtxread's y axis points up): the first serial
    const decoded = execFileSync(
      'dmtxread',
      ['-G', '29', '-N1', '-X', '50%', '-y', '80%', path.join(dir, 'sheet-1.png')],
      { encoding: 'latin1', timeout: 30_000 },
    );
    expect(decoded).toBe(`${GS}01${GTIN}1727063010L2026-001${GS}21SN0001`);
    // the names are drawn with the embedded CJK font (subset), not a fallback
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    expect(fonts).toMatch(/NotoSansSC/);
    for (const line of fonts.trim().split('\n').slice(2))
      expect(line).toMatch(/\s+yes\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$/); // every font embedded
  });
});
