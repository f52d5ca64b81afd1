import type { IncomingMessage, ServerResponse } from 'node:http';
import { isRuncastError, RuncastError } from '@runcast/core';
import type { Auth } from '../context';
import { fromStoreError, httpStatusFor } from '../errors';
import type { Services } from '../services/create-services';
import { PushInput } from '../services/push-input';
import { checkBatchSeries, checkRawPushBody } from '../services/series-limits';
import { describeZodError } from '../trpc';
import { readBody } from './read-body';
import { sendError, sendJson } from './send-json';

/**
 * POST /api/v1/push: `Authorization: Bearer <write token>`, JSON body as ingest.push.
 * 401 without a valid token, 403 for a read-only token, 429 over the per-token rate, 413 over the
 * body limit (checked while streaming), 400 naming the first bad field; 200 { accepted, runId }.
 */
export async function handlePush(options: {
  req: IncomingMessage;
  res: ServerResponse;
  auth: Auth;
  services: Services;
  bodyLimit: number;
}): Promise<void> {
  const { req, res, auth, services } = options;
  try {
    if (!auth.write) {
      req.resume();
      if (auth.tokenId !== null) throw new RuncastError('FORBIDDEN', 'this API token is read-only');
      throw new RuncastError(
        'UNAUTHORIZED',
        auth.reason === 'bad-token'
          ? 'invalid or revoked API token'
          : 'push needs a write token: Authorization: Bearer <token> (runcast token create --scope write)',
      );
    }
    services.pushRate.take(`token:${auth.tokenId ?? 'trusted'}`);
    const body = await readBody(req, options.bodyLimit);
    // One very wide object (100k metric keys) is refused before JSON.parse pays for it.
    checkRawPushBody(body);
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch (e) {
      throw new RuncastError('INVALID_INPUT', `body: not valid JSON (${(e as Error).message})`, {
        where: { field: 'body' },
      });
    }
    // Distinct series counted before validation: an oversize batch costs nothing more.
    checkBatchSeries(json);
    const parsed = PushInput.safeParse(json);
    if (!parsed.success) {
      const field = parsed.error.issues[0]?.path.join('.') || 'body';
      throw new RuncastError('INVALID_INPUT', describeZodError(parsed.error), { where: { field } });
    }
    const { accepted, runId } = await services.push.push(parsed.data);
    sendJson(res, 200, { accepted, runId });
  } catch (thrown) {
    const e = fromStoreError(thrown);
    if (isRuncastError(e)) {
      // The rest of an oversize body is not read: close the connection instead of reusing it.
      if (e.code === 'TOO_LARGE') res.setHeader('connection', 'close');
      sendError(res, httpStatusFor(e), { code: e.code, message: e.message, field: e.where?.field });
    } else {
      sendError(res, 500, { code: 'INTERNAL', message: (e as Error).message });
    }
  }
}
