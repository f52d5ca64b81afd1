import type { IncomingMessage } from 'node:http';
import { RuncastError } from '@runcast/core';

export const DEFAULT_BODY_LIMIT = 8 * 1024 * 1024;

/**
 * Reads a request body up to `limit` bytes, refusing (TOO_LARGE) as soon as the limit is passed
 * while streaming, or up front when Content-Length already says so.
 */
export async function readBody(req: IncomingMessage, limit = DEFAULT_BODY_LIMIT): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw new RuncastError(
      'TOO_LARGE',
      `request body of ${declared} bytes is over the ${limit}-byte limit`,
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw new RuncastError('TOO_LARGE', `request body is over the ${limit}-byte limit`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}
