import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import type { Services } from '../platform/services.ts';
import { sealKeyFile } from '../ledger/sealing.ts';
import { checkManifest, MANIFEST_PATH, ROOT, type ManifestCheck } from './manifest.ts';

// Installation qualification (ISO 13485 4.1.6; 21 CFR 11.10(a)): what is installed, on what, and
// whether it is set up as intended. Each check is ok or a finding with what to do.

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}
export interface IqResult {
  product: string;
  version: string;
  commit: string | null;
  node: string;
  platform: string;
  engine: { kind: string; version: string; detail: string };
  files: ManifestCheck;
  checks: Check[];
  clock: { system: string; database: string | null; differenceMs: number | null };
  ok: boolean;
}

/** The git commit of the checkout, or null when it is not one (an installed package). */
export function gitCommit(root = ROOT): string | null {
  if (!existsSync(path.join(root, '.git'))) return null;
  const r = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8', timeout: 5000 });
  const out = (r.stdout ?? '').trim();
  return r.status === 0 && /^[0-9a-f]{40}$/.test(out) ? out : null;
}

/** A clock difference larger than this is a finding: signatures and audit-trail times come from the app server. */
export const CLOCK_TOLERANCE_MS = 2000;

async function engineVersion(s: Services) {
  try {
    const info = (await s.db.admin().command({ buildInfo: 1 })) as { version?: string; ferretdbVersion?: string };
    // FerretDB answers buildInfo with its own version beside the MongoDB version it is compatible with
    const ferret = info.ferretdbVersion;
    return {
      // reached through MONGODB_URI (the CLI beside a running server) the embedded engine is still FerretDB
      kind: ferret ? (s.engine === 'mongodb' ? 'ferretdb' : s.engine) : 'mongodb',
      version: String(ferret ?? info.version ?? 'unknown'),
      detail: ferret ? `FerretDB ${ferret} (MongoDB-compatible ${info.version})` : `MongoDB ${info.version}`,
    };
  } catch (err) {
    return { kind: s.engine, version: 'unknown', detail: `buildInfo failed: ${(err as Error).message}` };
  }
}

async function databaseClock(s: Services) {
  try {
    const before = Date.now();
    const r = (await s.db.admin().command({ hello: 1 })) as { localTime?: Date };
    const after = Date.now();
    if (!(r.localTime instanceof Date)) return { database: null, differenceMs: null };
    return {
      database: r.localTime.toISOString(),
      differenceMs: r.localTime.getTime() - Math.round((before + after) / 2),
    };
  } catch {
    return { database: null, differenceMs: null };
  }
}

function writable(dir: string): Check {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    return { name: 'data directory writable', ok: true, detail: path.resolve(dir) };
  } catch (err) {
    return { name: 'data directory writable', ok: false, detail: `${path.resolve(dir)}: ${(err as Error).message}` };
  }
}

export async function installationQualification(
  s: Services,
  opts: { root?: string; manifestPath?: string } = {},
): Promise<IqResult> {
  const root = opts.root ?? ROOT;
  const checks: Check[] = [];
  const c = s.config;
  checks.push({
    name: 'PROVENANT_SECRET set',
    ok: !!c.PROVENANT_SECRET,
    detail: c.PROVENANT_SECRET
      ? 'set (the server signing key is encrypted with it)'
      : 'NOT set: the built-in development secret encrypts the signing key; set PROVENANT_SECRET (≥ 16 characters)',
  });
  checks.push({
    name: 'NODE_ENV',
    ok: c.NODE_ENV === 'production',
    detail:
      c.NODE_ENV === 'production'
        ? 'production'
        : `${c.NODE_ENV}: a validated installation runs with NODE_ENV=production`,
  });
  checks.push(writable(c.DATA_DIR));
  // the PKI: certificate and encrypted key in the database (signatures/pki.ts), unlocked at boot
  const cert = (() => {
    try {
      return new X509Certificate(s.signer.certPem);
    } catch {
      return null;
    }
  })();
  const now = Date.now();
  const certOk = !!cert && new Date(cert.validFrom).getTime() <= now && now <= new Date(cert.validTo).getTime();
  checks.push({
    name: 'PKI certificate present and valid',
    ok: certOk,
    detail: cert
      ? `${cert.subject.replace(/\n/g, ', ')}; valid ${cert.validFrom} – ${cert.validTo}; SHA-256 ${s.signer.fingerprint}`
      : 'no readable certificate',
  });
  const pki = await s.db
    .collection('pki')
    .findOne({ _id: 'server' as never })
    .catch(() => null);
  checks.push({
    name: 'PKI private key present',
    ok: !!pki,
    detail: pki
      ? 'stored encrypted in the database and unlocked with PROVENANT_SECRET at start'
      : 'missing from the database',
  });
  const seal = sealKeyFile(c);
  checks.push({
    name: 'ledger seal key file present',
    ok: existsSync(seal),
    detail: existsSync(seal) ? seal : `missing: ${seal}`,
  });

  const clockDb = await databaseClock(s);
  const clockOk = clockDb.differenceMs !== null && Math.abs(clockDb.differenceMs) <= CLOCK_TOLERANCE_MS;
  checks.push({
    name: 'time source',
    ok: clockOk,
    detail:
      clockDb.differenceMs === null
        ? 'the database did not report its time'
        : `application server clock vs database server clock: ${clockDb.differenceMs} ms (tolerance ±${CLOCK_TOLERANCE_MS} ms); keep both on NTP`,
  });

  const files = checkManifest(root, opts.manifestPath ?? MANIFEST_PATH);
  checks.push({
    name: 'shipped files match the manifest',
    ok: files.ok,
    detail:
      'error' in files
        ? files.error
        : files.ok
          ? `${files.checked} files, all identical to the build manifest`
          : `${files.findings.length} file(s) missing, changed or extra`,
  });
  return {
    product: 'Provenant',
    version: s.version,
    commit: gitCommit(root),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    engine: await engineVersion(s),
    files,
    checks,
    clock: { system: new Date().toISOString(), ...clockDb },
    ok: checks.every((x) => x.ok),
  };
}
