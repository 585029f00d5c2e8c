import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { createHash } from 'node:crypto';

// The OpenAPI document is generated from the same zod schemas that validate requests, so it
// cannot drift from what the server accepts.
export const registry = new OpenAPIRegistry();

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

registry.registerComponent('securitySchemes', 'session', { type: 'apiKey', in: 'cookie', name: 'provenant_session' });
registry.registerComponent('securitySchemes', 'token', { type: 'http', scheme: 'bearer' });

export function openApiDocument(version: string) {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Provenant API',
      version,
      description: 'eQMS with an ERP core. Every change is an event on an append-only, hash-chained ledger.',
    },
    servers: [{ url: '/' }],
  });
}

export const DOCS_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Provenant API</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;max-width:70rem}h2{margin-top:2rem}code{background:#f3f3f3;padding:0 .3em}
.op{border:1px solid #ddd;border-radius:6px;margin:.6rem 0;padding:.6rem}.m{font-weight:700;text-transform:uppercase;margin-right:.6em}
pre{background:#fafafa;padding:.5rem;overflow:auto;font-size:12px}</style></head><body>
<h1>Provenant API <small id="v"></small></h1><p>Generated from <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.
Browser sessions use the <code>provenant_session</code> cookie plus the <code>x-csrf-token</code> header on every state change; integrations use <code>Authorization: Bearer pvt_…</code>.</p>
<div id="ops"></div><script>
fetch('/api/v1/openapi.json').then(r=>r.json()).then(doc=>{document.getElementById('v').textContent=doc.info.version;
const root=document.getElementById('ops');const byTag={};
for(const [p,item] of Object.entries(doc.paths))for(const [m,op] of Object.entries(item)){const t=(op.tags||['other'])[0];(byTag[t]=byTag[t]||[]).push([m,p,op]);}
for(const [t,ops] of Object.entries(byTag)){const h=document.createElement('h2');h.textContent=t;root.append(h);
for(const [m,p,op] of ops){const d=document.createElement('details');d.className='op';const s=document.createElement('summary');
s.innerHTML='<span class=m></span><code></code> — <span></span>';s.children[0].textContent=m;s.children[1].textContent=p;s.children[2].textContent=op.summary||'';
const pre=document.createElement('pre');pre.textContent=JSON.stringify({parameters:op.parameters,requestBody:op.requestBody,responses:op.responses},null,2);d.append(s,pre);root.append(d);}}});
</script></body></html>`;

/** The docs page's own CSP: its one inline script and style block are allowed by hash (CSP Level 3), nothing else. */
const hashOf = (tag: string) => {
  const body = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(DOCS_PAGE)![1];
  return `'sha256-${createHash('sha256').update(body).digest('base64')}'`;
};
export const DOCS_CSP = `default-src 'none'; script-src ${hashOf('script')}; style-src ${hashOf('style')}; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'`;
