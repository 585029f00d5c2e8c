import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

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

// The API browser is Swagger UI from the swagger-ui-dist package, served by this server (no CDN):
// its stylesheet and bundle, plus a small initializer of ours, are the only scripts and styles the
// page may load. The initializer reads the session's CSRF token from /auth/me so "Try it out"
// works for state changes in a signed-in browser.
export const DOCS_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Provenant API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/assets/init.js"></script></body></html>`;

export const DOCS_INIT = `fetch('/api/v1/auth/me').then(function (r) { return r.ok ? r.json() : {}; }).catch(function () { return {}; })
.then(function (me) {
  var csrf = me && me.csrfToken;
  window.ui = SwaggerUIBundle({
    url: '/api/v1/openapi.json', dom_id: '#swagger-ui', deepLinking: true,
    requestInterceptor: function (req) { if (csrf) req.headers['x-csrf-token'] = csrf; return req; }
  });
});
`;

/** The docs page's CSP: scripts and styles from this server only; Swagger UI draws its icons as data: images
 * and sets element styles from script (style attributes need 'unsafe-inline' in style-src; scripts never). */
export const DOCS_CSP = `default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'`;
