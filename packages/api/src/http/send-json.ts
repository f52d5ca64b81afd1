import type { ServerResponse } from 'node:http';
import { RETRY_AFTER_SECONDS } from '../errors';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** An error body: { error: { code, message, field? } }. */
export function sendError(
  res: ServerResponse,
  status: number,
  error: { code: string; message: string; field?: string | undefined },
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (status === 503) res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
  sendJson(res, status, { error });
}
