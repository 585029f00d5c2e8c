import { AppError, errors } from '../../platform/errors.ts';
import { MAX_UNCOMPRESSED, centralDirectory, entryBytes } from './xlsxReader.ts';

// A migration bundle (issue 14 item 3, the document register "metadata plus files from a folder or
// zip"): ONE uploaded ZIP holding the .xlsx register and the content files it names. An .xlsx is
// itself a ZIP; a bundle is told apart by having no `[Content_Types].xml` at its root (ECMA-376
// Part 2, 10.1.2.4: every OPC package has one there). Read by the same guarded reader as a
// workbook (xlsxReader.ts: declared sizes checked, inflation capped, so a size that lies is still
// stopped), with the same 50 MB uncompressed in total and at most 500 entries. Names with `..`,
// an absolute path, a drive letter or a backslash are refused (path traversal), as is an
// encrypted entry. The files are held in memory only, by their path inside the ZIP.

const MAX_BUNDLE_ENTRIES = 500;

export interface Bundle {
  /** The register's name inside the ZIP and its bytes. */
  workbook: { name: string; bytes: Buffer };
  /** Every other file, by its path inside the ZIP (folders left out). */
  files: Map<string, Buffer>;
}

const refuse = (en: string, zh: string) => errors.badRequest(en, zh);
const unsafe = (name: string) =>
  name.startsWith('/') ||
  name.includes('\\') ||
  /^[A-Za-z]:/.test(name) ||
  name.split('/').some((p) => p === '..') ||
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f]/.test(name);

/** The bundle in a ZIP upload, or null when the ZIP is a workbook itself. */
export function openBundle(bytes: Buffer): Bundle | null {
  const entries = centralDirectory(bytes, MAX_BUNDLE_ENTRIES);
  if (entries.has('[Content_Types].xml')) return null;
  const budget = { left: MAX_UNCOMPRESSED };
  const files = new Map<string, Buffer>();
  const books: string[] = [];
  for (const e of entries.values()) {
    if (unsafe(e.name))
      throw refuse(
        `The ZIP holds an unsafe path (${e.name.slice(0, 100)}): no "..", absolute paths or backslashes.`,
        `ZIP 中含有不安全的路径(${e.name.slice(0, 100)}):不允许 ".."、绝对路径或反斜杠。`,
      );
    if (e.name.endsWith('/') || e.name.startsWith('__MACOSX/')) continue;
    const data = entryBytes(bytes, e, budget);
    if (/\.xlsx$/i.test(e.name) && !e.name.includes('/')) books.push(e.name);
    files.set(e.name, data);
  }
  if (budget.left < 0) throw new AppError('PAYLOAD_TOO_LARGE', { max: '50 MB (uncompressed)' });
  if (books.length !== 1)
    throw refuse(
      `A bundle holds exactly one .xlsx register at its root (found ${books.length}).`,
      `资料包的根目录须恰好含一个 .xlsx 台账(找到 ${books.length} 个)。`,
    );
  const workbook = { name: books[0], bytes: files.get(books[0])! };
  files.delete(books[0]);
  return { workbook, files };
}
