import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFString, type PDFDocument } from 'pdf-lib';
import type { Signer } from '../../../signatures/signer.ts';

// The seal: a PKCS#7 detached signature (adbe.pkcs7.detached) by the server certificate over the
// whole file except the signature's own /Contents. Two steps: addSealPlaceholder() puts an
// invisible signature field with a zero-filled /Contents and a /ByteRange placeholder into the
// document before it is saved (without object streams, so both are plain text in the file);
// sealPdf() then writes the real byte ranges, signs them and fills /Contents in place. Nothing
// moves, so the cross-reference table stays right. It must be the last thing done to the file.
const CONTENTS_BYTES = 12 * 1024; // room for the CMS (two 2048-bit certificates ≈ 3 KB)
const BYTE_RANGE_MARK = '**********';

export function addSealPlaceholder(doc: PDFDocument, opts: { reason: string; name: string; location?: string; signingTime: Date }) {
  const ctx = doc.context;
  const byteRange = PDFArray.withContext(ctx);
  byteRange.push(PDFNumber.of(0));
  for (let i = 0; i < 3; i++) byteRange.push(PDFName.of(BYTE_RANGE_MARK));
  const sig = ctx.obj({
    Type: 'Sig', Filter: 'Adobe.PPKLite', SubFilter: 'adbe.pkcs7.detached',
    ByteRange: byteRange, Contents: PDFHexString.of('0'.repeat(CONTENTS_BYTES * 2)),
    Reason: PDFString.of(ascii(opts.reason)), Name: PDFString.of(ascii(opts.name)), M: PDFString.fromDate(opts.signingTime),
    ...(opts.location ? { Location: PDFString.of(ascii(opts.location)) } : {}),
  });
  const sigRef = ctx.register(sig);
  const page = doc.getPage(0);
  const widget = ctx.obj({
    Type: 'Annot', Subtype: 'Widget', FT: 'Sig', Rect: [0, 0, 0, 0], V: sigRef, T: PDFString.of('Seal'), F: 4, P: page.ref,
  });
  const widgetRef = ctx.register(widget);
  const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
  if (annots) annots.push(widgetRef); else page.node.set(PDFName.of('Annots'), ctx.obj([widgetRef]));
  const acroForm = ctx.obj({ Fields: [widgetRef], SigFlags: 3 });
  doc.catalog.set(PDFName.of('AcroForm'), ctx.register(acroForm as PDFDict));
}

/** Strings in the signature dictionary stay ASCII (PDFDocEncoding is not UTF-8). */
const ascii = (s: string) => s.replace(/[^\x20-\x7e]/g, '?');

export function sealPdf(bytes: Uint8Array, signer: Signer, signingTime: Date): Buffer {
  const pdf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const brMark = Buffer.from(`/ByteRange [ 0 /${BYTE_RANGE_MARK} /${BYTE_RANGE_MARK} /${BYTE_RANGE_MARK} ]`);
  const brAt = pdf.lastIndexOf(brMark);
  if (brAt < 0) throw new Error('seal: no /ByteRange placeholder (was addSealPlaceholder called, object streams off?)');
  const contentsMark = Buffer.from(`/Contents <${'0'.repeat(64)}`);
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
  if (cms.length > CONTENTS_BYTES) throw new Error('seal: signature larger than its placeholder');
  Buffer.from(cms.toString('hex').padEnd(CONTENTS_BYTES * 2, '0')).copy(pdf, hexStart + 1);
  return pdf;
}
