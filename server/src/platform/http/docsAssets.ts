import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DOCS_INIT } from './openapi.ts';

// The API browser's files, read once from the installed swagger-ui-dist package (a runtime
// dependency, so it is present wherever the server is installed) and kept in memory.
export const DOCS_ASSET_NAMES = ['swagger-ui.css', 'swagger-ui-bundle.js', 'init.js'] as const;
export type DocsAssetName = (typeof DOCS_ASSET_NAMES)[number];

const TYPES: Record<DocsAssetName, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'init.js': 'application/javascript; charset=utf-8',
};

const cache = new Map<DocsAssetName, Buffer>();

export async function docsAsset(name: DocsAssetName): Promise<{ type: string; body: Buffer }> {
  let body = cache.get(name);
  if (!body) {
    if (name === 'init.js') body = Buffer.from(DOCS_INIT, 'utf8');
    else {
      const dir = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
      body = await readFile(path.join(dir, name));
    }
    cache.set(name, body);
  }
  return { type: TYPES[name], body };
}
