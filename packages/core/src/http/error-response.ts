import { STATUS_CODES, type ServerResponse } from 'node:http';
import { HttpError } from '../errors/http-errors';
import { negotiateFormat } from './negotiate';
import { HtmlResponse, JsonResponse, TextResponse, type Response } from './responses';

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/**
 * The default error answer: the status of an `HttpError` (500 otherwise), as HTML, JSON or text depending on
 * `Accept`; the message of a 5xx and any stack trace only in debug mode.
 */
export function defaultErrorResponse(err: unknown, accept: string | undefined, debug: boolean): Response {
  const http = err instanceof HttpError ? err : null;
  const status = http?.status ?? 500;
  const title = STATUS_CODES[status] ?? `HTTP ${status}`;
  const message = http !== null && (http.expose || debug) ? http.message : debug && err instanceof Error ? err.message : title;
  const stack = debug && err instanceof Error && status >= 500 ? err.stack : undefined;
  const headers = http?.headers ?? {};
  let response: Response;
  switch (negotiateFormat(accept)) {
    case 'json':
      response = new JsonResponse({ error: { status, message, ...(stack === undefined ? {} : { stack }) } }, { status, headers });
      break;
    case 'html':
      response = new HtmlResponse(
        `<!doctype html><html><head><meta charset="utf-8"><title>${status} ${escapeHtml(title)}</title></head>` +
          `<body><h1>${status} ${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>` +
          (stack === undefined ? '' : `<pre>${escapeHtml(stack)}</pre>`) +
          '</body></html>',
        { status, headers },
      );
      break;
    default:
      response = new TextResponse(`${status} ${title}: ${message}${stack === undefined ? '' : `\n\n${stack}`}`, { status, headers });
  }
  return response;
}

/**
 * Answer a plain-text 500 on a response whose head was not sent yet (a header Node refused), clearing any headers
 * already set on it; false when the head is already out and only dropping the connection is left.
 */
export function answerWithServerError(res: ServerResponse): boolean {
  if (res.headersSent || res.destroyed) return false;
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  const body = '500 Internal Server Error: Internal Server Error';
  res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) });
  res.end(res.req.method === 'HEAD' ? undefined : body);
  return true;
}
