import busboy from 'busboy';
import type { Context } from 'koa';
import { AppError, errors } from '../../platform/errors.ts';

// The uploaded spreadsheet: one multipart field `file`, read into memory with a hard cap (the
// pattern of documents/upload.ts, whose type sniffing admits no CSV). Every stream has an error
// listener: a truncated or malformed body is a 400, never an unhandled 'error' event.
export const MAX_SHEET_BYTES = 10 * 1024 * 1024;

export interface SheetUpload {
  name: string;
  bytes: Buffer;
  format: 'xlsx' | 'csv';
}

const ZIP = Buffer.from('PK\x03\x04', 'binary');

export function readSheetUpload(ctx: Context): Promise<SheetUpload> {
  if (!ctx.is('multipart/form-data'))
    return Promise.reject(new AppError('UNSUPPORTED_MEDIA_TYPE', { type: ctx.get('content-type') || 'none' }));
  return new Promise<SheetUpload>((resolve, reject) => {
    let settled = false;
    const req = ctx.req;
    let bb: busboy.Busboy | null = null;
    const fail = (err: AppError) => {
      if (settled) return;
      settled = true;
      if (bb) {
        req.unpipe(bb);
        bb.removeAllListeners('file');
      }
      req.resume();
      reject(err);
    };
    const malformed = () =>
      fail(errors.badRequest('The multipart body is malformed or incomplete.', 'multipart 请求体格式错误或不完整。'));
    req.on('error', malformed);
    req.on('aborted', malformed);
    try {
      bb = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: { fileSize: MAX_SHEET_BYTES, files: 1, fields: 5, parts: 6, fieldSize: 1024 },
      });
    } catch {
      malformed();
      return;
    }
    let file: { name: string; parts: Buffer[] } | null = null;
    let failure: AppError | null = null;
    bb.on('file', (name, stream, info) => {
      stream.on('error', malformed);
      if (name !== 'file' || file) {
        stream.resume();
        return;
      }
      const f = { name: (info.filename || 'file').slice(0, 200), parts: [] as Buffer[] };
      file = f;
      stream.on('data', (d: Buffer) => {
        if (!failure) f.parts.push(d);
      });
      stream.on('limit', () => {
        failure = new AppError('PAYLOAD_TOO_LARGE', { max: '10 MB' });
        f.parts.length = 0;
      });
    });
    bb.on('field', () => undefined);
    bb.on('error', malformed);
    bb.on('close', () => {
      if (settled) return;
      if (failure) return fail(failure);
      if (!file) return fail(errors.validation('body.file', { en: 'a file is required', zh: '请选择文件' }));
      const bytes = Buffer.concat(file.parts);
      if (!bytes.length) return fail(errors.validation('body.file', { en: 'the file is empty', zh: '文件为空' }));
      const isZip = bytes.subarray(0, 4).equals(ZIP);
      if (!isZip && /\.xlsx$/i.test(file.name))
        return fail(errors.badRequest('The .xlsx file is not a ZIP workbook.', '该 .xlsx 文件不是 ZIP 格式的工作簿。'));
      if (!isZip && /\.(xls|xlsm|xlsb|ods|numbers)$/i.test(file.name))
        return fail(new AppError('UNSUPPORTED_MEDIA_TYPE', { type: file.name.slice(file.name.lastIndexOf('.')) }));
      settled = true;
      resolve({ name: file.name, bytes, format: isZip ? 'xlsx' : 'csv' });
    });
    req.pipe(bb);
  });
}
