import busboy from 'busboy';
import type { Context } from 'koa';
import { AppError, errors } from '../../platform/errors.ts';

// One multipart file field, read into memory with a hard size cap, its type decided by its
// magic bytes (a renamed .exe is refused whatever its name or declared type says).
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

export interface Upload {
  name: string;
  bytes: Buffer;
  mime: string;
}

const ZIP = Buffer.from('PK\x03\x04', 'binary');
export function sniffType(b: Buffer): string | null {
  if (b.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.subarray(0, 4).equals(ZIP)) {
    // OOXML: the part names in the zip directory are stored uncompressed
    if (b.includes('word/document.xml'))
      return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    if (b.includes('xl/workbook.xml')) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  }
  return null;
}

const tooLarge = () => new AppError('PAYLOAD_TOO_LARGE', { max: '20 MB' });

/**
 * Reads the one file field. Call it only after the caller's right to upload is checked: this is
 * where the body is read. Every stream involved (the request, busboy, each part) has an error
 * listener, so a truncated, aborted or malformed body is a 400 and never an unhandled 'error'
 * event (which would end the process).
 */
export function readUpload(ctx: Context, field = 'file'): Promise<Upload> {
  if (!ctx.is('multipart/form-data'))
    return Promise.reject(new AppError('UNSUPPORTED_MEDIA_TYPE', { type: ctx.get('content-type') || 'none' }));
  return new Promise<Upload>((resolve, reject) => {
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
      req.resume(); // drain what is left so the answer reaches the client
      reject(err);
    };
    const malformed = () =>
      fail(errors.badRequest('The multipart body is malformed or incomplete.', 'multipart 请求体格式错误或不完整。'));
    req.on('error', malformed); // the client went away mid-body
    req.on('aborted', malformed);
    try {
      bb = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, parts: 12, fieldSize: 64 * 1024 },
      });
    } catch {
      malformed();
      return;
    }
    let file: { name: string; declared: string; parts: Buffer[] } | null = null;
    let failure: AppError | null = null;
    bb.on('file', (name, stream, info) => {
      stream.on('error', malformed); // busboy ends a part with an error when the body is cut short
      if (name !== field || file) {
        stream.resume();
        return;
      }
      const f = {
        name: (info.filename || 'file').slice(0, 200),
        declared: (info.mimeType || 'unknown').slice(0, 100),
        parts: [] as Buffer[],
      };
      file = f;
      stream.on('data', (d: Buffer) => {
        if (!failure) f.parts.push(d);
      });
      stream.on('limit', () => {
        failure = tooLarge();
        f.parts.length = 0;
      });
    });
    bb.on('field', () => undefined);
    bb.on('error', malformed);
    // answer only once the whole body has been read, so the client is never cut off mid-send
    bb.on('close', () => {
      if (settled) return;
      if (failure) return fail(failure);
      if (!file) return fail(errors.validation(`body.${field}`, { en: 'a file is required', zh: '请选择文件' }));
      const bytes = Buffer.concat(file.parts);
      if (!bytes.length) return fail(errors.validation(`body.${field}`, { en: 'the file is empty', zh: '文件为空' }));
      const mime = sniffType(bytes);
      if (!mime) return fail(new AppError('UNSUPPORTED_MEDIA_TYPE', { type: file.declared }));
      settled = true;
      resolve({ name: file.name, bytes, mime });
    });
    req.pipe(bb);
  });
}
