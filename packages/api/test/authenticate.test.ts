import type { IncomingMessage } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { authenticateRequest, QUERY_TOKEN_PATH, readBearer } from '../src/http/authenticate';
import { openTestApi } from './open-test-api';

// What each request shape is granted, on both sides of every rule: the header's exact form, the
// one path and method that may carry ?token=, and the scopes a real token (real SQLite store) has.

/** The parts of a request authentication reads. */
function request(options: {
  method?: string;
  url?: string;
  authorization?: string | string[];
}): IncomingMessage {
  const headers: Record<string, string | string[]> = {};
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  return {
    method: options.method ?? 'GET',
    url: options.url ?? '/trpc/runs.list',
    headers,
  } as unknown as IncomingMessage;
}

describe('readBearer', () => {
  it('reads "Bearer <secret>" in any case, with surrounding spaces', () => {
    expect(readBearer(request({ authorization: 'Bearer abc.DEF_1' }))).toBe('abc.DEF_1');
    expect(readBearer(request({ authorization: 'bearer abc' }))).toBe('abc');
    expect(readBearer(request({ authorization: 'BEARER \t abc  ' }))).toBe('abc');
  });

  it('gives "" (a bad token, not an absent one) for any other Authorization header', () => {
    for (const header of [
      'Bearer',
      'Bearer ',
      'Bearer a b',
      'Basic abc',
      'xBearer abc',
      'Bearerabc',
      ' Bearer abc',
    ]) {
      expect(readBearer(request({ authorization: header })), header).toBe('');
    }
  });

  it('takes ?token= only on a GET of the live stream', () => {
    const live = `${QUERY_TOKEN_PATH}?input=%7B%7D&token=s3cret`;
    expect(QUERY_TOKEN_PATH).toBe('/trpc/live.events');
    expect(readBearer(request({ url: live }))).toBe('s3cret');
    expect(readBearer(request({ method: 'POST', url: live }))).toBeNull();
    expect(readBearer(request({ url: '/trpc/runs.list?token=s3cret' }))).toBeNull();
    expect(readBearer(request({ url: `${QUERY_TOKEN_PATH}/x?token=s3cret` }))).toBeNull();
    expect(readBearer(request({ url: QUERY_TOKEN_PATH }))).toBeNull();
    // The header wins over the query.
    expect(readBearer(request({ url: live, authorization: 'Bearer h' }))).toBe('h');
  });

  it('no header and no query token: null', () => {
    expect(readBearer(request({}))).toBeNull();
    expect(readBearer(request({ url: undefined as unknown as string }))).toBeNull();
  });
});

describe('authenticateRequest with real tokens', () => {
  const api = openTestApi();
  afterAll(async () => {
    await api.close();
  });

  async function token(scope: 'read' | 'write' | 'admin') {
    return await api.services.tokens.create({ name: `t-${scope}`, scope });
  }

  async function as(
    authorization: string | undefined,
    openReads: boolean,
  ): Promise<Record<string, unknown>> {
    return {
      ...(await authenticateRequest({
        req: request(authorization === undefined ? {} : { authorization }),
        tokens: api.services.tokens,
        openReads,
      })),
    };
  }

  it('each scope grants exactly its rights and names the token', async () => {
    const read = await token('read');
    const write = await token('write');
    const admin = await token('admin');
    expect(await as(`Bearer ${read.secret}`, false)).toEqual({
      read: true,
      write: false,
      admin: false,
      tokenId: read.id,
      scope: 'read',
      reason: 'token',
    });
    expect(await as(`Bearer ${write.secret}`, false)).toEqual({
      read: true,
      write: true,
      admin: false,
      tokenId: write.id,
      scope: 'write',
      reason: 'token',
    });
    expect(await as(`Bearer ${admin.secret}`, false)).toEqual({
      read: true,
      write: true,
      admin: true,
      tokenId: admin.id,
      scope: 'admin',
      reason: 'token',
    });
  });

  it('without a token: reads only when they are open; a bad token gets no more', async () => {
    const closed = { read: false, write: false, admin: false, tokenId: null };
    expect(await as(undefined, false)).toEqual({ ...closed, reason: 'no-token' });
    expect(await as(undefined, true)).toEqual({ ...closed, read: true, reason: 'no-token' });
    expect(await as('Bearer not-a-token', false)).toEqual({ ...closed, reason: 'bad-token' });
    expect(await as('Bearer not-a-token', true)).toEqual({
      ...closed,
      read: true,
      reason: 'bad-token',
    });
    expect(await as('Basic abc', false)).toEqual({ ...closed, reason: 'bad-token' });
  });

  it('a revoked token is a bad token', async () => {
    const gone = await token('admin');
    await api.services.tokens.revoke({ id: gone.id });
    expect((await as(`Bearer ${gone.secret}`, false)).reason).toBe('bad-token');
  });
});
