import { describe, expect, it } from 'vitest';
import { columnName, sheetName, writeXlsx } from './writer.ts';
import { readXlsx, values } from './pyReader.ts';

describe('xlsx writer (exceljs), read back by Python zipfile + xml.etree', () => {
  it('writes a workbook with a bold frozen header, Chinese text, numbers as numbers and ISO dates', async () => {
    const buf = await writeXlsx({
      name: '不合格品 / NC [list]: *?',
      header: ['编号', 'Quantity', 'Opened', 'Closed?'],
      rows: [
        ['NC-2026-0001', 12.5, new Date('2026-03-04T05:06:07.000Z'), true],
        ['输液器泄漏 <a & "b">', 0, '2026-01-02', false],
        [null, -3, undefined, ''],
      ],
    });
    const x = readXlsx(buf);
    expect(x.bad).toBeNull();
    expect(x.names).toEqual(
      expect.arrayContaining(['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml']),
    );
    expect(x.overrides['/xl/workbook.xml']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
    );
    expect(x.sheets).toEqual(['不合格品   NC  list']);
    expect(x.frozen).toEqual({ state: 'frozen', ySplit: '1' });
    expect(Object.values(x.rows[0]).every((c) => c.bold)).toBe(true);
    expect(Object.values(x.rows[1]).some((c) => c.bold)).toBe(false);
    expect(values(x)).toEqual([
      ['编号', 'Quantity', 'Opened', 'Closed?'],
      ['NC-2026-0001', 12.5, '2026-03-04T05:06:07.000Z', true],
      ['输液器泄漏 <a & "b">', 0, '2026-01-02', false],
      [-3],
    ]);
    expect(x.rows[1].B.type).toBe('n');
    // Chinese counts double in the column width; every column is at least 8 wide
    expect(x.widths[0]).toBeGreaterThanOrEqual(16);
    expect(Math.min(...x.widths)).toBeGreaterThanOrEqual(8);
  });

  it('writes text that looks like a formula as text, never a formula (OWASP CSV injection)', async () => {
    const evil = ["=cmd|' /C calc'!A0", '+1+1', '-2+3', '@SUM(A1:A2)', '\tx', '=HYPERLINK("http://x")'];
    const x = readXlsx(await writeXlsx({ name: 'x', header: ['h'], rows: evil.map((e) => [e]) }));
    const cells = x.rows.slice(1).map((r) => r.A);
    expect(cells.map((c) => c.value)).toEqual(evil);
    for (const c of cells) {
      expect(c.type).toBe('s');
      expect(c.formula).toBe(false);
      expect(c.quotePrefix).toBe(true);
    }
  });

  it('strips characters XML 1.0 forbids and keeps line breaks and emoji', async () => {
    const x = readXlsx(
      await writeXlsx({
        name: 'x',
        header: ['h'],
        rows: [['a\u0000b\u0007c\u001Fd\uFFFE'], ['line1\nline2 🙂'], ['lone \uD800 surrogate']],
      }),
    );
    expect(values(x).slice(1)).toEqual([['abcd'], ['line1\nline2 🙂'], ['lone  surrogate']]);
  });

  it('names sheets and columns as spreadsheets do', () => {
    expect(sheetName('a'.repeat(40))).toHaveLength(31);
    expect(sheetName('[]:*?/\\')).toBe('Sheet1');
    expect(sheetName("'quoted'")).toBe('quoted');
    expect([0, 25, 26, 701, 702].map(columnName)).toEqual(['A', 'Z', 'AA', 'ZZ', 'AAA']);
  });

  it('writes an empty list as a header row only', async () => {
    const x = readXlsx(await writeXlsx({ name: 'empty', header: ['A', 'B'], rows: [] }));
    expect(values(x)).toEqual([['A', 'B']]);
  });
});
