import { describe, expect, it } from 'vitest';
import { buildAuthHeaders, buildSubscriptionUrl, pickRequestToken } from './api-token';

describe('api tokens on the wire', () => {
  it('the SSE link carries the token as ?token= (EventSource sends no headers)', () => {
    expect(buildSubscriptionUrl('/trpc', 'rc_abc+/=')).toBe('/trpc?token=rc_abc%2B%2F%3D');
    expect(buildSubscriptionUrl('http://h:1/trpc?x=1', 't')).toBe('http://h:1/trpc?x=1&token=t');
    expect(buildSubscriptionUrl('/trpc', null)).toBe('/trpc');
  });

  it('HTTP batches carry it as a bearer header; a write token wins over a read token', () => {
    expect(buildAuthHeaders('t')).toEqual({ Authorization: 'Bearer t' });
    expect(buildAuthHeaders(null)).toEqual({});
    expect(pickRequestToken({ write: 'w', read: 'r' })).toBe('w');
    expect(pickRequestToken({ write: null, read: 'r' })).toBe('r');
    expect(pickRequestToken({ write: '', read: null })).toBeNull();
  });
});
