import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  scryptSync,
  type CipherGCM,
  type DecipherGCM,
} from 'node:crypto';
import { createReadStream, createWriteStream, openSync, readSync, closeSync, fstatSync } from 'node:fs';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { pipeline as pipelineCb, Transform, type Readable, type Writable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import type { Db } from 'mongodb';
import { EVENTS } from '../ledger/ledger.ts';
import { CHECKPOINTS } from '../ledger/checkpoints.ts';

// The backup archive (format 1), one file:
//   line 1  `PROVENANT-BACKUP 1`
//   line 2  the header, JSON: {format, encryption: null | {cipher, kdf{name,N,r,p,salt}, iv, check}}
//   body    gzip of the payload; when encrypted, AES-256-GCM of that gzip (the two header lines are
//           its additional authenticated data) followed by the 16-byte GCM tag.
// The payload is lines: `#part {json}`, then one line per document (canonical EJSON, so dates,
// binaries and ObjectIds keep their types) or per base64 chunk of a file, then `#end {count, sha256}`
// (SHA-256 of the part's lines); then `#manifest {json}` and last `#eof {sha256}` (of every payload
// byte before it). A truncated, edited or partial archive therefore fails a hash, the gzip CRC, the
// GCM tag or a missing line; nothing is trusted until the whole file has been read.
export const MAGIC = 'PROVENANT-BACKUP 1';
export const FORMAT = 1;
const KDF = { name: 'scrypt' as const, N: 1 << 15, r: 8, p: 1 };
const KEY_CHECK = 'provenant backup key check v1';

export interface Encryption {
  cipher: 'aes-256-gcm';
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  iv: string;
  /** HMAC-SHA256(key, KEY_CHECK): tells a wrong passphrase apart from a damaged archive. */
  check: string;
}
export interface Header {
  format: number;
  encryption: Encryption | null;
}
export interface PartInfo {
  name: string;
  kind: 'collection' | 'file';
  /** the collection (kind collection) or the role of the file (kind file: 'seal-key', 'witness') */
  target: string;
  /** documents (collection) or base64 lines (file) */
  count: number;
  sha256: string;
  /** the file's size */
  bytes?: number;
  /** projections left out because they were ahead of the ledger head (brought level on restore) */
  deferred?: number;
}
export interface LedgerHead {
  checkpoint: { seq: number; hash: string; root: string } | null;
  streams: number;
  events: number;
  /** SHA-256 of every stream head `stream\tversion\thash\n`, sorted by stream */
  headsSha256: string;
}
export interface Manifest {
  format: number;
  product: { name: 'provenant'; version: string; commit: string | null };
  createdAt: string;
  engine: string;
  database: string;
  head: LedgerHead;
  parts: PartInfo[];
  excluded: string[];
}

export class ArchiveError extends Error {}

const deriveKey = (passphrase: string, kdf: Encryption['kdf']) =>
  scryptSync(passphrase, Buffer.from(kdf.salt, 'base64'), 32, {
    N: kdf.N,
    r: kdf.r,
    p: kdf.p,
    maxmem: 256 * kdf.N * kdf.r,
  });
const keyCheck = (key: Buffer) => createHmac('sha256', key).update(KEY_CHECK).digest('base64');

/** The stream heads of the ledger and its last checkpoint, read checkpoint first (see backup.ts). */
export async function readLedgerHead(db: Db): Promise<{ head: LedgerHead; heads: Map<string, number> }> {
  const cp = await db
    .collection<{ seq: number; hash: string; root: string }>(CHECKPOINTS)
    .find({}, { projection: { _id: 0, seq: 1, hash: 1, root: 1 } })
    .sort({ seq: -1 })
    .limit(1)
    .next();
  const heads = new Map<string, { version: number; hash: string }>();
  for await (const e of db
    .collection<{ stream: string; version: number; hash: string }>(EVENTS)
    .find({}, { projection: { _id: 0, stream: 1, version: 1, hash: 1 } })) {
    const h = heads.get(e.stream);
    if (!h || e.version > h.version) heads.set(e.stream, { version: e.version, hash: e.hash });
  }
  const digest = createHash('sha256');
  let events = 0;
  for (const stream of [...heads.keys()].sort()) {
    const h = heads.get(stream)!;
    events += h.version;
    digest.update(`${stream}\t${h.version}\t${h.hash}\n`);
  }
  return {
    head: {
      checkpoint: cp ? { seq: cp.seq, hash: cp.hash, root: cp.root } : null,
      streams: heads.size,
      events,
      headsSha256: digest.digest('hex'),
    },
    heads: new Map([...heads].map(([s, h]) => [s, h.version])),
  };
}

/** Writes payload lines to `file` through gzip (and AES-256-GCM when a passphrase is given). */
export class ArchiveWriter {
  private gzip = createGzip({ level: 6 });
  private done: Promise<void>;
  private whole = createHash('sha256');
  private part: { info: PartInfo; hash: ReturnType<typeof createHash> } | null = null;
  readonly parts: PartInfo[] = [];

  private constructor(out: Writable, cipher: CipherGCM | null) {
    // the GCM tag follows the ciphertext, written when the cipher is finished
    const seal = (c: CipherGCM) =>
      new Transform({
        transform(chunk: Buffer, _enc, cb) {
          cb(null, c.update(chunk));
        },
        flush(cb) {
          cb(null, Buffer.concat([c.final(), c.getAuthTag()]));
        },
      });
    this.done = cipher ? pipeline(this.gzip, seal(cipher), out) : pipeline(this.gzip, out);
    this.done.catch(() => undefined); // awaited in close()
  }

  static async open(file: string, passphrase?: string): Promise<ArchiveWriter> {
    let encryption: Encryption | null = null;
    let cipher: CipherGCM | null = null;
    const out = createWriteStream(file, { mode: 0o600, flags: 'wx' });
    await once(out, 'open');
    if (passphrase !== undefined) {
      const kdf = { ...KDF, salt: randomBytes(16).toString('base64') };
      const iv = randomBytes(12);
      const key = deriveKey(passphrase, kdf);
      encryption = { cipher: 'aes-256-gcm', kdf, iv: iv.toString('base64'), check: keyCheck(key) };
      cipher = createCipheriv('aes-256-gcm', key, iv);
    }
    const head = Buffer.from(`${MAGIC}\n${JSON.stringify({ format: FORMAT, encryption } satisfies Header)}\n`);
    cipher?.setAAD(head);
    out.write(head);
    return new ArchiveWriter(out, cipher);
  }

  private async line(text: string) {
    const buf = Buffer.from(`${text}\n`, 'utf8');
    this.whole.update(buf);
    if (!this.gzip.write(buf)) await once(this.gzip, 'drain');
    return buf;
  }

  async begin(name: string, kind: PartInfo['kind'], target: string) {
    await this.line(`#part ${JSON.stringify({ name, kind, target })}`);
    this.part = { info: { name, kind, target, count: 0, sha256: '' }, hash: createHash('sha256') };
  }
  /** One document line (already EJSON) or one base64 chunk of a file. */
  async item(text: string) {
    const p = this.part!;
    p.hash.update(await this.line(text));
    p.info.count++;
  }
  async end(extra: Partial<PartInfo> = {}) {
    const p = this.part!;
    Object.assign(p.info, extra, { sha256: p.hash.digest('hex') });
    await this.line(`#end ${JSON.stringify({ count: p.info.count, sha256: p.info.sha256 })}`);
    this.parts.push(p.info);
    this.part = null;
  }
  async close(manifest: Manifest) {
    await this.line(`#manifest ${JSON.stringify(manifest)}`);
    const sha256 = this.whole.digest('hex');
    this.gzip.end(`#eof ${JSON.stringify({ sha256 })}\n`);
    await this.done;
  }
}

export type Entry =
  | { t: 'part'; name: string; kind: PartInfo['kind']; target: string }
  | { t: 'item'; text: string }
  | { t: 'end'; count: number; sha256: string };

/** Reads the header; throws ArchiveError on anything but a well-formed format-1 header. */
function readHeader(file: string): { header: Header; headerBytes: number; size: number } {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.alloc(Math.min(size, 4096));
    readSync(fd, buf, 0, buf.length, 0);
    const first = buf.indexOf(0x0a);
    const second = first < 0 ? -1 : buf.indexOf(0x0a, first + 1);
    if (first < 0 || buf.subarray(0, first).toString('utf8') !== MAGIC) {
      const magic = buf.subarray(0, first < 0 ? 32 : first).toString('utf8');
      if (/^PROVENANT-BACKUP \d+$/.test(magic))
        throw new ArchiveError(`unknown backup format "${magic}": this version reads format ${FORMAT}`);
      throw new ArchiveError('not a Provenant backup (the first line is not "PROVENANT-BACKUP 1")');
    }
    if (second < 0) throw new ArchiveError('the archive is truncated: its header is incomplete');
    let header: Header;
    try {
      header = JSON.parse(buf.subarray(first + 1, second).toString('utf8')) as Header;
    } catch {
      throw new ArchiveError('the archive header is damaged (not valid JSON)');
    }
    if (header.format !== FORMAT) throw new ArchiveError(`unknown backup format ${String(header.format)}`);
    const enc = header.encryption;
    if (
      enc !== null &&
      (typeof enc !== 'object' ||
        enc.cipher !== 'aes-256-gcm' ||
        enc.kdf?.name !== 'scrypt' ||
        ![enc.kdf.N, enc.kdf.r, enc.kdf.p].every((x) => Number.isSafeInteger(x) && x > 0) ||
        enc.kdf.N > 1 << 20 ||
        enc.kdf.r > 32 ||
        enc.kdf.p > 16 ||
        typeof enc.kdf.salt !== 'string' ||
        typeof enc.iv !== 'string' ||
        typeof enc.check !== 'string')
    )
      throw new ArchiveError('the archive header is damaged (unknown encryption parameters)');
    return { header, headerBytes: second + 1, size };
  } finally {
    closeSync(fd);
  }
}

/** Whether the archive is encrypted (read from its header; throws ArchiveError on a bad header). */
export const isEncrypted = (file: string) => readHeader(file).header.encryption !== null;

/**
 * Streams the payload of `file` entry by entry, checking every part's count and hash, the
 * trailing whole-payload hash and (when encrypted) the GCM tag; the manifest is returned at the
 * end. Any damage throws ArchiveError — callers must not trust what they saw before the end.
 */
export async function* readArchive(file: string, passphrase?: string): AsyncGenerator<Entry, Manifest> {
  const { header, headerBytes, size } = readHeader(file);
  const enc = header.encryption;
  let source: Readable;
  let decipher: DecipherGCM | null = null;
  if (enc) {
    if (passphrase === undefined)
      throw new ArchiveError('the archive is encrypted: give the passphrase with --passphrase-env VAR');
    const key = deriveKey(passphrase, enc.kdf);
    if (keyCheck(key) !== enc.check) throw new ArchiveError('wrong passphrase (or a damaged archive header)');
    if (size - headerBytes < 16) throw new ArchiveError('the archive is truncated');
    const tag = Buffer.alloc(16);
    const fd = openSync(file, 'r');
    readSync(fd, tag, 0, 16, size - 16);
    closeSync(fd);
    decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(enc.iv, 'base64'));
    const aad = Buffer.alloc(headerBytes);
    const fd2 = openSync(file, 'r');
    readSync(fd2, aad, 0, headerBytes, 0);
    closeSync(fd2);
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    source = createReadStream(file, { start: headerBytes, end: size - 17 });
  } else source = createReadStream(file, { start: headerBytes });
  const gunzip = createGunzip();
  let failure: Error | null = null;
  const onDone = (err: Error | null | undefined) => {
    if (err) failure = err;
  };
  if (decipher) pipelineCb(source, decipher, gunzip, onDone);
  else pipelineCb(source, gunzip, onDone);
  const whole = createHash('sha256');
  let part: { name: string; count: number; hash: ReturnType<typeof createHash> } | null = null;
  let manifest: Manifest | null = null;
  let eof = false;
  const seen = new Map<string, { count: number; sha256: string }>();
  try {
    for await (const line of lines(gunzip)) {
      if (eof) throw new ArchiveError('data after the end of the archive');
      const raw = Buffer.from(`${line}\n`, 'utf8');
      if (line.startsWith('#')) {
        const sp = line.indexOf(' ');
        const tag = line.slice(0, sp);
        const body = JSON.parse(line.slice(sp + 1)) as Record<string, unknown>;
        if (tag === '#part') {
          if (part || manifest) throw new ArchiveError('a part starts inside another part');
          part = { name: String(body.name), count: 0, hash: createHash('sha256') };
          yield { t: 'part', name: part.name, kind: body.kind as PartInfo['kind'], target: String(body.target) };
        } else if (tag === '#end') {
          if (!part) throw new ArchiveError('a part ends that never started');
          const sha256 = part.hash.digest('hex');
          if (sha256 !== body.sha256 || part.count !== body.count)
            throw new ArchiveError(`part ${part.name} is damaged: its content does not match its hash or count`);
          seen.set(part.name, { count: part.count, sha256 });
          yield { t: 'end', count: part.count, sha256 };
          part = null;
        } else if (tag === '#manifest') {
          if (part) throw new ArchiveError(`part ${part.name} is incomplete`);
          manifest = body as unknown as Manifest;
        } else if (tag === '#eof') {
          if (whole.digest('hex') !== body.sha256)
            throw new ArchiveError('the archive content does not match its hash');
          eof = true;
          continue;
        } else throw new ArchiveError(`unknown line ${tag}`);
        whole.update(raw);
        continue;
      }
      if (!part) throw new ArchiveError('content outside any part');
      whole.update(raw);
      part.hash.update(raw);
      part.count++;
      yield { t: 'item', text: line };
    }
  } catch (err) {
    throw asArchiveError(failure ?? err, enc !== null);
  }
  if (failure) throw asArchiveError(failure, enc !== null);
  if (!eof || !manifest) throw new ArchiveError('the archive is truncated or partial: its manifest or end is missing');
  if (manifest.format !== FORMAT) throw new ArchiveError(`unknown manifest format ${String(manifest.format)}`);
  for (const p of manifest.parts ?? []) {
    const s = seen.get(p.name);
    if (!s) throw new ArchiveError(`part ${p.name} named in the manifest is missing`);
    if (s.sha256 !== p.sha256 || s.count !== p.count)
      throw new ArchiveError(`part ${p.name} does not match the manifest`);
  }
  if (seen.size !== (manifest.parts ?? []).length)
    throw new ArchiveError('the archive holds parts its manifest does not name');
  return manifest;
}

function asArchiveError(err: unknown, encrypted: boolean): Error {
  if (err instanceof ArchiveError) return err;
  const msg = (err as Error).message ?? String(err);
  if (err instanceof SyntaxError) return new ArchiveError(`the archive is damaged (unreadable line: ${msg})`);
  if (/unable to authenticate|auth/i.test(msg))
    return new ArchiveError('the archive is damaged or was altered: the encryption tag does not match');
  if (/unexpected end|truncated|incorrect header|invalid|crc|check|distance|block/i.test(msg))
    return new ArchiveError(
      `the archive is damaged or truncated (${msg})${encrypted ? '; or it was altered after encryption' : ''}`,
    );
  return err as Error;
}

/** Splits a byte stream into UTF-8 lines without joining pieces more than once per line. */
async function* lines(stream: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let pieces: Buffer[] = [];
  for await (const chunk of stream) {
    let start = 0;
    let nl: number;
    while ((nl = chunk.indexOf(0x0a, start)) >= 0) {
      pieces.push(chunk.subarray(start, nl));
      yield Buffer.concat(pieces).toString('utf8');
      pieces = [];
      start = nl + 1;
    }
    if (start < chunk.length) pieces.push(chunk.subarray(start));
  }
  if (pieces.length) throw new ArchiveError('the archive is truncated: its last line is incomplete');
}
