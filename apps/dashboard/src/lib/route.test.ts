import { describe, expect, it } from 'vitest';
import { buildCompareHref, buildRunHref, parseIdList, parseRoute, updateSearch } from './route';

describe('parseRoute', () => {
  it('reads the three views and rejects the rest', () => {
    expect(parseRoute('/', '').name).toBe('runs');
    expect(parseRoute('/runs/42', '')).toMatchObject({ name: 'run', id: 42 });
    expect(parseRoute('/runs/42/', '?x=tokens')).toMatchObject({ name: 'run', id: 42 });
    expect(parseRoute('/compare', '?runs=3,5')).toMatchObject({ name: 'compare', ids: [3, 5] });
    expect(parseRoute('/runs/abc', '')).toEqual({ name: 'not-found', path: '/runs/abc' });
    expect(parseRoute('/runs/0', '').name).toBe('not-found');
    expect(parseRoute('/nope', '').name).toBe('not-found');
  });

  it('round-trips the hrefs it builds', () => {
    expect(parseRoute(buildRunHref(7), '')).toMatchObject({ name: 'run', id: 7 });
    const href = new URL(buildCompareHref([1, 9, 4]), 'http://x');
    expect(parseRoute(href.pathname, href.search)).toMatchObject({ ids: [1, 9, 4] });
  });
});

describe('parseIdList', () => {
  it('keeps positive integers once, in order', () => {
    expect(parseIdList('3, 5,x,5,-1,2.5,8')).toEqual([3, 5, 8]);
    expect(parseIdList(null)).toEqual([]);
    expect(parseIdList('')).toEqual([]);
  });
});

describe('updateSearch', () => {
  it('sets, replaces and removes keys and keeps the others', () => {
    expect(updateSearch('?runs=1,2&logx=1', { logx: false, logy: true })).toBe('?runs=1,2&logy=1');
    expect(updateSearch('', { q: 'gpt small' })).toBe('?q=gpt+small');
    expect(updateSearch('?q=a', { q: null })).toBe('');
    expect(updateSearch('?w=3', { w: 12.5 })).toBe('?w=12.5');
  });
});
