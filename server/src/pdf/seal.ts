import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFString, type PDFDocument } from 'pdf-lib';
import type { Signer } from '../../../signatures/signer.ts';

// The seal: a PKCS#7 detached signature (adbe.pkcs7.detached) by the server certificate over the
// whole file except the signature's own /Contents. addSealPlaceholder() puts an invisible
// signature field with a zero-filled /Contents and a /ByteRange placeholder into the document
// before it is saved (without object streams, so both are plain text in the file); sealPdf()
// then writes the real byte ranges, signs them and fills /Contents in place. Nothing moves, so
// the cross-reference table stays right. It must be the last thing done to the file.
//
// /Contents is exactly as long as the signature: no zero padding is left unsigned, so every byte
// of the file outside the CMS itself is covered by the digest. The size comes from a signature
// over nothing (same certificates, same attributes; an RSA signature's length is fixed); should
// the real one differ (a signer whose signatures vary in length), the file is saved again with
// the size it reported.
const BYTE_RANGE_MARK = '**********';
const MAX_CONTENTS_BYTES = 64 * 1024;
const expectedSize = new WeakMap<Signer, number>();

export class SealSizeMismatch extends Error {
  constructor(readonly needed: number) {
    super(`seal: signature is ${needed} bytes, not the size of its placeholder`);
  }
}

export interface SealOptions {
  reason: string;
  name: string;
  location?: string;
  signingTime: Date;
}

/** Adds the placeholder, saves, and seals: the finished file's bytes. */
export async function sealDocument(doc: PDFDocument, signer: Signer, opts: SealOptions): Promise<Buffer> {
  let size = expectedSize.get(signer) ?? signer.cmsSignDetached(Buffer.alloc(0), opts.signingTime).length;
  const contents = addSealPlaceholder(doc, opts, size);
  for (let attempt = 0; ; attempt++) {
    try {
      const pdf = sealPdf(await doc.save({ useObjectStreams: false }), signer, opts.signingTime, size);
      expectedSize.set(signer, size);
      return pdf;
    } catch (err) {
      if (!(err instanceof SealSizeMismatch) || attempt >= 2 || err.needed > MAX_CONTENTS_BYTES) throw err;
      size = err.needed;
      contents.set(PDFName.of('Contents'), PDFHexString.of('0'.repeat(size * 2)));
    }
  }
}

/** The signature field with a /Contents of `contentsBytes` zero bytes; returns the signature dictionary. */
export function addSealPlaceholder(doc: PDFDocument, opts: SealOptions, contentsBytes: number): PDFDict {
  const ctx = doc.context;
  const byteRange = PDFArray.withContext(ctx);
  byteRange.push(PDFNumber.of(0));
  for (let i = 0; i < 3; i++) byteRange.push(PDFName.of(BYTE_RANGE_MARK));
  const sig = ctx.obj({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: 'adbe.pkcs7.detached',
    ByteRange: byteRange,
    Contents: PDFHexString.of('0'.repeat(contentsBytes * 2)),
    Reason: PDFString.of(ascii(opts.reason)),
    Name: PDFString.of(ascii(opts.name)),
    M: PDFString.fromDate(opts.signingTime),
    ...(opts.location ? { Location: PDFString.of(ascii(opts.location)) } : {}),
  });
  const sigRef = ctx.register(sig);
  const page = doc.getPage(0);
  const widget = ctx.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    Rect: [0, 0, 0, 0],
    V: sigRef,
    T: PDFString.of('Seal'),
    F: 4,
    P: page.ref,
  });
  const widgetRef = ctx.register(widget);
  const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
  if (annots) annots.push(widgetRef);
  else page.node.set(PDFName.of('Annots'), ctx.obj([widgetRef]));
  const acroForm = ctx.obj({ Fields: [widgetRef], SigFlags: 3 });
  doc.catalog.set(PDFName.of('AcroForm'), ctx.register(acroForm as PDFDict));
  return sig;
}

/** Strings in the signature dictionary stay ASCII (PDFDocEncoding is not UTF-8). */
const ascii = (s: string) => s.replace(/[^\x20-\x7e]/g, '?');

export function sealPdf(bytes: Uint8Array, signer: Signer, signingTime: Date, contentsBytes: number): Buffer {
  const pdf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const brMark = Buffer.from(`/ByteRange [ 0 /${BYTE_RANGE_MARK} /${BYTE_RANGE_MARK} /${BYTE_RANGE_MARK} ]`);
  const brAt = pdf.lastIndexOf(brMark);
  if (brAt < 0) throw new Error('seal: no /ByteRange placeholder (was addSealPlaceholder called, object streams off?)');
  const contentsMark = Buffer.from(`/Contents <${'0'.repeat(Math.min(64, contentsBytes * 2))}`);
  const cStart = pdf.indexOf(contentsMark, brAt); // the dictionary is written in insertion order
  if (cStart < 0) throw new Error('seal: no /Contents placeholder');
  const hexStart = cStart + '/Contents '.length; // at '<'
  const hexEnd = pdf.indexOf('>', hexStart) + 1; // after '>'
  const ranges = [0, hexStart, hexEnd, pdf.length - hexEnd];
  const brText = `/ByteRange [${ranges.join(' ')}]`;
  if (brText.length > brMark.length) throw new Error('seal: byte range does not fit its placeholder');
  Buffer.from(brText.padEnd(brMark.length, ' ')).copy(pdf, brAt);
  const signed = Buffer.concat([pdf.subarray(0, hexStart), pdf.subarray(hexEnd)]);
  const cms = signer.cmsSignDetached(signed, signingTime);
  if (hexEnd - hexStart !== contentsBytes * 2 + 2)
    throw new Error('seal: /Contents placeholder has an unexpected size');
  if (cms.length !== contentsBytes) throw new SealSizeMismatch(cms.length);
  Buffer.from(cms.toString('hex')).copy(pdf, hexStart + 1);
  return pdf;
}
