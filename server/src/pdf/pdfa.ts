import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { PDFHexString, PDFName, PDFString, type PDFDocument } from 'pdf-lib';
import { srgbIccProfile } from './srgbIcc.ts';

// What makes an export an archival PDF (ISO 19005-2 PDF/A-2b, or ISO 19005-3 PDF/A-3b when
// files are embedded), besides embedded fonts: an sRGB OutputIntent (6.2.3; our content is
// DeviceRGB/DeviceGray), XMP metadata that says which part and level it conforms to and agrees
// with the document information dictionary (6.6.2, 6.6.3), and a file identifier in the trailer
// (6.1.3). Called after the content and before the seal; the seal itself is a zero-size
// signature widget, which PDF/A allows without an appearance (6.3.3).

export interface ArchivalInfo {
  title: string;
  subject: string;
  now: Date;
  part: 2 | 3;
  idSeed: string;
}

const PRODUCER = 'Provenant';

/** Seconds precision, UTC: the same instant in the Info dictionary and the XMP packet. */
const whole = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000);
const xmpDate = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const xml = (s: string) =>
  s
    .replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)
    // eslint-disable-next-line no-control-regex -- these control characters are what XML 1.0 forbids
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, ''); // not allowed in XML 1.0

export function xmpPacket(i: ArchivalInfo): string {
  const at = xmpDate(whole(i.now));
  const alt = (s: string) => `<rdf:Alt><rdf:li xml:lang="x-default">${xml(s)}</rdf:li></rdf:Alt>`;
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title>${alt(i.title)}</dc:title>
   <dc:description>${alt(i.subject)}</dc:description>
   <xmp:CreatorTool>${PRODUCER}</xmp:CreatorTool>
   <xmp:CreateDate>${at}</xmp:CreateDate>
   <xmp:ModifyDate>${at}</xmp:ModifyDate>
   <xmp:MetadataDate>${at}</xmp:MetadataDate>
   <pdf:Producer>${PRODUCER}</pdf:Producer>
   <pdfaid:part>${i.part}</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="r"?>`;
}

export function makeArchival(doc: PDFDocument, i: ArchivalInfo) {
  const ctx = doc.context,
    now = whole(i.now);
  doc.setTitle(i.title);
  doc.setSubject(i.subject);
  doc.setProducer(PRODUCER);
  doc.setCreator(PRODUCER);
  doc.setCreationDate(now);
  doc.setModificationDate(now);
  // metadata streams stay unfiltered (6.6.2.1 leaves no room for doubt with readers that scan for XMP)
  const metadata = ctx.stream(Buffer.from(xmpPacket(i), 'utf8'), { Type: 'Metadata', Subtype: 'XML' });
  doc.catalog.set(PDFName.of('Metadata'), ctx.register(metadata));
  const icc = ctx.stream(deflateSync(srgbIccProfile()), { N: 3, Filter: 'FlateDecode' });
  const intent = ctx.obj({
    Type: 'OutputIntent',
    S: 'GTS_PDFA1',
    OutputConditionIdentifier: PDFString.of('sRGB IEC61966-2.1'),
    RegistryName: PDFString.of('http://www.color.org'),
    Info: PDFString.of('sRGB IEC61966-2.1'),
    DestOutputProfile: ctx.register(icc),
  });
  doc.catalog.set(PDFName.of('OutputIntents'), ctx.obj([ctx.register(intent)]));
  // a file identifier (ISO 32000-1, 14.4): both parts equal, as for a file never updated
  const id = PDFHexString.of(
    createHash('sha256').update(`${i.idSeed}\n${now.toISOString()}`).digest('hex').slice(0, 32),
  );
  ctx.trailerInfo.ID = ctx.obj([id, id]);
}
