import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../logger.ts';
import { API_CSP } from './headers.ts';

/**
 * Requests Node's HTTP parser refuses before Koa sees them (an unknown method such as TRACK, a
 * broken request line, headers too large) get the same JSON error shape, headers and a logged
 * request id as everything else, instead of Node's bare "400 Bad Request". The request's
 * language is unknown here (its headers did not parse), so the message carries both.
 */
export function answerClientErrors(server: Server, logger: Logger) {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // as Node's own handler: nothing to answer on a dead socket or once a response has started
    const started = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
    if (!socket.writable || started || err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const requestId = randomUUID();
    const [status, text, code, message] =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? [
            431,
            'Request Header Fields Too Large',
            'HEADERS_TOO_LARGE',
            'The request headers are too large. / 请求头过大。',
          ]
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'Request Timeout', 'REQUEST_TIMEOUT', 'The request took too long to arrive. / 请求传输超时。']
          : [400, 'Bad Request', 'BAD_REQUEST', 'The request is not valid HTTP. / 请求不是有效的 HTTP。'];
    logger.info({ requestId, status, reason: err.code }, 'request refused by the HTTP parser');
    answer(socket, requestId, status, text, code, message);
  });
  // CONNECT (a proxy tunnel) never reaches Koa: without a listener Node just drops the socket
  server.on('connect', (req: { method?: string }, socket: Duplex) => {
    const requestId = randomUUID();
    logger.info({ requestId, status: 405, method: req.method }, 'CONNECT refused');
    answer(
      socket,
      requestId,
      405,
      'Method Not Allowed',
      'METHOD_NOT_ALLOWED',
      'This server is not a proxy; CONNECT is not accepted. / 本服务器不是代理,不接受 CONNECT 请求。',
    );
  });
}

function answer(socket: Duplex, requestId: string, status: number, text: string, code: string, message: string) {
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\n` +
      `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Request-Id: ${requestId}\r\nX-Content-Type-Options: nosniff\r\nContent-Security-Policy: ${API_CSP}\r\nConnection: close\r\n\r\n${body}`,
  );
}
