import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nowIso } from '../platform/clock.ts';

// The manifest of shipped files made at build time (`npm run build:manifest`, part of `npm run
// build`): the SHA-256 of every file the installation runs from. The IQ of the validation package
// hashes the same files again and names every file missing, changed or extra (ISO 13485 4.1.6,
// 21 CFR 11.10(a)). It lives in dist/ (not tracked by git, like client/dist) so that it describes
// the build actually installed.

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const MANIFEST_PATH = path.join(ROOT, 'dist', 'manifest.json');

/** What is shipped: the server, its signature code, the built client, templates, seed, bin, the package files. */
export const SHIPPED_DIRS = ['server', 'signatures', 'client/dist', 'templates', 'seed', 'bin'];
export const SHIPPED_FILES = ['package.json', 'package-lock.json'];

export interface Manifest {
  product: string;
  version: string;
  commit: string | null;
  createdAt: string;
  files: Record<string, string>; // repository-relative path (always '/') → SHA-256 hex
}

const SKIP = new Set(['node_modules', '.git', '.tmp']);

function walk(root: string, rel: string, out: string[]) {
  const abs = path.join(root, rel);
  for (const e of readdirSync(abs, { withFileTypes: true })) {
    if (SKIP.has(e.name)) continue;
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) walk(root, r, out);
    else if (e.isFile()) out.push(r);
  }
}

/** Every shipped file under `root`, sorted, repository-relative. */
export function shippedFiles(root = ROOT): string[] {
  const out: string[] = [];
  for (const d of SHIPPED_DIRS)
    if (existsSync(path.join(root, d)) && statSync(path.join(root, d)).isDirectory()) walk(root, d, out);
  for (const f of SHIPPED_FILES) if (existsSync(path.join(root, f))) out.push(f);
  return out.sort();
}

export const sha256File = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

export function hashFiles(root = ROOT): Record<string, string> {
  const files: Record<string, string> = {};
  for (const f of shippedFiles(root)) files[f] = sha256File(path.join(root, f));
  return files;
}

export function buildManifest(root = ROOT, commit: string | null = null): Manifest {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string };
  return {
    product: pkg.name,
    version: pkg.version,
    commit,
    createdAt: nowIso(),
    files: hashFiles(root),
  };
}

export interface FileFinding {
  file: string;
  status: 'missing' | 'changed' | 'extra';
}
export type ManifestCheck =
  | { ok: boolean; manifest: Manifest; checked: number; findings: FileFinding[] }
  | { ok: false; manifest: null; checked: number; error: string; findings: FileFinding[] };

/** Hashes the installation again and compares it with the manifest; no manifest is a finding, not a crash. */
export function checkManifest(root = ROOT, manifestPath = MANIFEST_PATH): ManifestCheck {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    if (!manifest || typeof manifest.files !== 'object' || manifest.files === null) throw new Error('no "files" in it');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const error =
      e.code === 'ENOENT'
        ? `no manifest at ${manifestPath}: the installation was not built with "npm run build" (or "npm run build:manifest"), so its files cannot be compared`
        : `the manifest ${manifestPath} cannot be read: ${e.message}`;
    return { ok: false, manifest: null, checked: 0, error, findings: [] };
  }
  const now = hashFiles(root);
  const findings: FileFinding[] = [];
  for (const [file, sha] of Object.entries(manifest.files)) {
    if (!(file in now)) findings.push({ file, status: 'missing' });
    else if (now[file] !== sha) findings.push({ file, status: 'changed' });
  }
  for (const file of Object.keys(now)) if (!(file in manifest.files)) findings.push({ file, status: 'extra' });
  findings.sort((a, b) => a.file.localeCompare(b.file));
  return { ok: findings.length === 0, manifest, checked: Object.keys(now).length, findings };
}

export function writeManifest(root = ROOT, out = MANIFEST_PATH, commit: string | null = null): Manifest {
  const m = buildManifest(root, commit);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(m, null, 1) + '\n');
  return m;
}
