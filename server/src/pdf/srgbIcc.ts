// A minimal sRGB ICC profile (v2.1, display class, matrix/TRC), built here rather than shipped as
// a binary: PDF/A (ISO 19005-2, 6.2.3) needs an OutputIntent with an embedded ICC profile, and
// a profile we compute from IEC 61966-2-1 has no licence to carry. Primaries are the sRGB ones
// adapted to the D50 PCS (Bradford), as in ICC.1:2001-04 Annex and every common sRGB profile;
// the tone curve is the sRGB piecewise function sampled at 1024 points (curveType, v2 has no
// parametric curves).

const RED = [0.4360747, 0.2225045, 0.0139322];
const GREEN = [0.3850649, 0.7168786, 0.0971045];
const BLUE = [0.1430804, 0.0606169, 0.7141733];
const D50 = [0.9642, 1.0, 0.8249];
const CURVE_POINTS = 1024;

const s15f16 = (v: number) => Math.round(v * 65536);
const pad4 = (b: Buffer) => (b.length % 4 ? Buffer.concat([b, Buffer.alloc(4 - (b.length % 4))]) : b);

function xyzType(xyz: number[]): Buffer {
  const b = Buffer.alloc(20);
  b.write('XYZ ', 0, 'latin1');
  xyz.forEach((v, i) => b.writeInt32BE(s15f16(v), 8 + i * 4));
  return b;
}

function curveType(): Buffer {
  const b = Buffer.alloc(12 + CURVE_POINTS * 2);
  b.write('curv', 0, 'latin1');
  b.writeUInt32BE(CURVE_POINTS, 8);
  for (let i = 0; i < CURVE_POINTS; i++) {
    const v = i / (CURVE_POINTS - 1);
    const linear = v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; // IEC 61966-2-1 EOTF
    b.writeUInt16BE(Math.round(linear * 65535), 12 + i * 2);
  }
  return b;
}

/** textDescriptionType (v2): ASCII part, empty Unicode and ScriptCode parts. */
function descType(text: string): Buffer {
  const ascii = Buffer.from(`${text}\0`, 'latin1');
  const b = Buffer.alloc(12 + ascii.length + 8 + 3 + 67);
  b.write('desc', 0, 'latin1');
  b.writeUInt32BE(ascii.length, 8);
  ascii.copy(b, 12);
  return b; // Unicode language/count, ScriptCode code/count and its 67-byte field stay zero
}

function textType(text: string): Buffer {
  return Buffer.concat([Buffer.from('text\0\0\0\0', 'latin1'), Buffer.from(`${text}\0`, 'latin1')]);
}

let cached: Buffer | null = null;

/** The profile's bytes (≈ 2.6 KB), computed once per process. */
export function srgbIccProfile(): Buffer {
  if (cached) return cached;
  const trc = pad4(curveType());
  const tags: Array<[string, Buffer]> = [
    ['desc', pad4(descType('sRGB IEC61966-2.1 (Provenant)'))],
    ['cprt', pad4(textType('No copyright, use freely'))],
    ['wtpt', xyzType(D50)],
    ['rXYZ', xyzType(RED)], ['gXYZ', xyzType(GREEN)], ['bXYZ', xyzType(BLUE)],
    ['rTRC', trc], ['gTRC', trc], ['bTRC', trc], // one curve, three tag entries pointing at it
  ];
  const table = Buffer.alloc(4 + tags.length * 12);
  table.writeUInt32BE(tags.length, 0);
  const data: Buffer[] = [];
  let offset = 128 + table.length;
  const placed = new Map<Buffer, number>();
  tags.forEach(([sig, bytes], i) => {
    let at = placed.get(bytes);
    if (at === undefined) { at = offset; placed.set(bytes, at); data.push(bytes); offset += bytes.length; }
    table.write(sig, 4 + i * 12, 'latin1');
    table.writeUInt32BE(at, 8 + i * 12);
    table.writeUInt32BE(bytes.length, 12 + i * 12);
  });
  const header = Buffer.alloc(128);
  header.writeUInt32BE(offset, 0); // profile size
  header.writeUInt32BE(0x02100000, 8); // version 2.1
  header.write('mntrRGB XYZ ', 12, 'latin1'); // device class, data colour space, PCS
  [2026, 1, 1, 0, 0, 0].forEach((v, i) => header.writeUInt16BE(v, 24 + i * 2)); // fixed: same bytes every time
  header.write('acsp', 36, 'latin1');
  D50.forEach((v, i) => header.writeInt32BE(s15f16(v), 68 + i * 4)); // PCS illuminant
  cached = Buffer.concat([header, table, ...data]);
  return cached;
}
