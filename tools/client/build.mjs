// `npm run build:client`: builds the web client with Vite only when its inputs changed.
// `npm start` runs the build before every start; rebuilding an unchanged client cost ~20 s of
// each start. The inputs are every file under client/ except the browser tests and the output,
// the Vite config, and the lockfile (a dependency upgrade changes the bundle). Their SHA-256 is
// kept in dist/; a mismatch, a missing output or FORCE_CLIENT_BUILD=1 rebuilds.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const clientDir = join(root, 'client');
const outDir = join(clientDir, 'dist');
// Kept outside client/dist so the web server never serves it.
const stampFile = join(root, 'dist', 'client-inputs.sha256');
const SKIP = new Set([join(clientDir, 'dist'), join(clientDir, 'e2e'), join(clientDir, 'node_modules')]);

function files(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (SKIP.has(path)) continue;
    if (entry.isDirectory()) out.push(...files(path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

function inputsHash() {
  const hash = createHash('sha256');
  const inputs = [...files(clientDir), join(root, 'package-lock.json')].sort();
  for (const path of inputs) {
    hash.update(relative(root, path)).update('\0').update(readFileSync(path)).update('\0');
  }
  return hash.digest('hex');
}

const wanted = inputsHash();
const built =
  existsSync(join(outDir, 'index.html')) && existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : '';
if (built === wanted && process.env.FORCE_CLIENT_BUILD !== '1') {
  console.log('client unchanged since its last build: not rebuilt');
} else {
  const vite = spawnSync(
    process.execPath,
    [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'client/vite.config.ts'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (vite.status !== 0) process.exit(vite.status ?? 1);
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(stampFile, `${wanted}\n`);
}
