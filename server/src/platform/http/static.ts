import { createReadStream, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Context, Next } from 'koa';

// Serves the built client (client/dist) with an SPA fallback to index.html. API paths never
// fall through to it.
export function serveClient(distDir: string) {
  const index = path.join(distDir, 'index.html');
  return async (ctx: Context, next: Next) => {
    await next();
    if (
      ctx.body !== undefined ||
      ctx.status !== 404 ||
      ctx.path.startsWith('/api/') ||
      !['GET', 'HEAD'].includes(ctx.method)
    )
      return;
    const file = path.normalize(path.join(distDir, decodeURIComponent(ctx.path)));
    const target =
      file.startsWith(distDir) && existsSync(file) && statSync(file).isFile() ? file : existsSync(index) ? index : null;
    if (!target) return;
    ctx.type = path.extname(target) || 'html';
    ctx.set('cache-control', target === index ? 'no-cache' : 'public, max-age=31536000, immutable');
    ctx.set('x-content-type-options', 'nosniff');
    ctx.body = createReadStream(target);
  };
}
