import type { Context, Next } from 'koa';

// Security headers on every response, errors included (OWASP Secure Headers; CSP Level 3).
//
// The client (Vite build, client/dist) loads only same-origin module scripts and stylesheets:
// no inline script, no eval, no inline style. Vue and Element Plus position and size things
// through the CSSOM (element.style), which style-src does not govern, so 'unsafe-inline' is not
// needed (checked in Chromium over the document, work order, equipment and admin pages with
// their tabs, dropdowns, date pickers and dialogs: no violation). Previews are blob: URLs of
// same-origin fetches (PDF in an <iframe>, images in <img>).
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self' blob:",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

/** JSON is data, never a document: nothing in it may load or run anything. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export function securityHeaders() {
  return async (ctx: Context, next: Next) => {
    ctx.set('x-content-type-options', 'nosniff');
    ctx.set('x-frame-options', 'SAMEORIGIN'); // the client previews PDFs in a same-origin frame
    ctx.set('referrer-policy', 'same-origin');
    ctx.set('cross-origin-opener-policy', 'same-origin');
    ctx.set('cross-origin-resource-policy', 'same-origin');
    // HSTS only where the request really came over TLS (directly, or through a trusted proxy
    // with TRUST_PROXY set): on plain HTTP the header is ignored by browsers anyway (RFC 6797 §8.1).
    if (ctx.secure) ctx.set('strict-transport-security', 'max-age=31536000');
    await next(); // the error handler runs inside, so this line is reached for every response
    if (!ctx.response.get('content-security-policy'))
      ctx.set('content-security-policy', ctx.response.is('json') ? API_CSP : APP_CSP);
  };
}
