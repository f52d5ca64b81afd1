import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { describeError } from './describe-error';

describe('describeError', () => {
  it('says the server is unreachable when fetch fails', () => {
    const d = describeError(new TypeError('Failed to fetch'));
    expect(d.unreachable).toBe(true);
    expect(d.message).toContain('runcast serve');
  });

  it("keeps the server's message and code", () => {
    const error = new TRPCClientError('run 999 not found', {
      result: {
        error: {
          code: -32004,
          message: 'run 999 not found',
          data: { code: 'NOT_FOUND', httpStatus: 404 },
        },
      },
    } as never);
    const d = describeError(error);
    expect(d).toMatchObject({
      title: 'Not found',
      message: 'run 999 not found',
      code: 'NOT_FOUND',
      unreachable: false,
    });
  });
});
