import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const clientDir = join(repoRoot, 'client');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Vitest globalSetup: build the client when dist is missing or older than its sources. */
export default function buildClient() {
  const built = join(clientDir, 'dist', 'index.html');
  const sources = Math.max(
    newestMtime(join(clientDir, 'src')),
    statSync(join(clientDir, 'index.html')).mtimeMs,
    statSync(join(clientDir, 'vite.config.ts')).mtimeMs,
  );
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  execSync('npm run build:client', { cwd: repoRoot, stdio: 'inherit' });
}
