import { errors } from '../../platform/errors.ts';

// CSV as RFC 4180 writes it: fields separated by commas, records by CRLF (a bare LF or CR is
// taken too), a field in double quotes may hold commas, line breaks and doubled quotes ("").
// The file is UTF-8 (a UTF-8 byte-order mark is dropped); any other encoding is refused, never
// guessed: a GBK or UTF-16 file read as UTF-8 would import mojibake names.

export const MAX_ROWS = 10_000;
export const MAX_COLUMNS = 60;
const MAX_FIELD = 10_000;

const bad = (en: string, zh: string) => errors.badRequest(en, zh);

/** Strict UTF-8 text of the file, without its BOM; UTF-16 (by its BOM) and invalid UTF-8 are refused. */
export function decodeUtf8(buf: Buffer): string {
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))
    throw bad(
      'The file is UTF-16; save the CSV as UTF-8 (CSV UTF-8 in Excel).',
      '文件是 UTF-16 编码;请另存为 UTF-8 编码的 CSV(Excel 中选择"CSV UTF-8")。',
    );
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw bad(
      'The file is not valid UTF-8 (GBK or another encoding?); save the CSV as UTF-8.',
      '文件不是有效的 UTF-8 编码(可能是 GBK 等);请另存为 UTF-8 编码的 CSV。',
    );
  }
  if (text.includes('\u0000'))
    throw bad('The file holds NUL characters: not a text CSV.', '文件含有 NUL 字符,不是文本 CSV。');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The rows of a CSV file, each an array of field texts; blank lines are skipped. */
export function parseCsv(buf: Buffer): string[][] {
  const text = decodeUtf8(buf);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false; // inside a quoted field
  let wasQuoted = false; // the current field started with a quote
  let line = 1;
  const endField = () => {
    if (row.length >= MAX_COLUMNS)
      throw bad(`Line ${line}: more than ${MAX_COLUMNS} columns.`, `第 ${line} 行:超过 ${MAX_COLUMNS} 列。`);
    row.push(field);
    field = '';
    wasQuoted = false;
  };
  const endRow = () => {
    endField();
    if (!(row.length === 1 && row[0] === '')) {
      if (rows.length >= MAX_ROWS + 1)
        throw bad(`More than ${MAX_ROWS} rows; split the file.`, `超过 ${MAX_ROWS} 行;请拆分文件。`);
      rows.push(row);
    }
    row = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"') {
      if (field !== '' || wasQuoted)
        throw bad(
          `Line ${line}: a quote inside an unquoted field (RFC 4180: quote the whole field and double the quote).`,
          `第 ${line} 行:未加引号的字段中出现引号(RFC 4180:整个字段加引号,引号写两次)。`,
        );
      quoted = true;
      wasQuoted = true;
    } else if (c === ',') endField();
    else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
    } else {
      if (wasQuoted) throw bad(`Line ${line}: text after a closing quote.`, `第 ${line} 行:结束引号后还有文字。`);
      field += c;
    }
    if (field.length > MAX_FIELD)
      throw bad(
        `Line ${line}: a field longer than ${MAX_FIELD} characters.`,
        `第 ${line} 行:字段超过 ${MAX_FIELD} 个字符。`,
      );
  }
  if (quoted)
    throw bad('The file ends inside a quoted field (a quote is not closed).', '文件在引号字段内结束(引号未闭合)。');
  if (field !== '' || row.length || wasQuoted) endRow();
  return rows;
}
