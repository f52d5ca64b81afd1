import { describe, expect, it } from 'vitest';
import { MAX_PUSH_POINTS, PushInput, PushPoint, PushStatus } from '../src/services/push-input';

// The push body's validation, value by value and on both sides of each limit (the HTTP status
// codes for the same refusals are in server.test.ts and push-limits.test.ts).

const point = (metrics: unknown, extra: Record<string, unknown> = {}) => ({
  step: 1,
  metrics,
  ...extra,
});

function metricsOf(metrics: unknown): Record<string, number> {
  return PushPoint.parse(point(metrics)).metrics;
}

function refusal(
  schema: { safeParse(v: unknown): { success: boolean; error?: unknown } },
  v: unknown,
) {
  const r = schema.safeParse(v);
  expect(r.success, JSON.stringify(v)?.slice(0, 80)).toBe(false);
  return String((r.error as { message?: string } | undefined)?.message ?? '');
}

describe('PushPoint metrics', () => {
  it('keeps numbers, reads null and the NaN / Infinity words as the non-finite values', () => {
    const m = metricsOf({
      loss: 2.5,
      a: null,
      b: 'NaN',
      c: 'nan',
      d: 'Infinity',
      e: 'inf',
      f: '-Infinity',
      g: '-inf',
    });
    expect(m.loss).toBe(2.5);
    for (const k of ['a', 'b', 'c']) expect(m[k]).toBeNaN();
    for (const k of ['d', 'e']) expect(m[k]).toBe(Number.POSITIVE_INFINITY);
    for (const k of ['f', 'g']) expect(m[k]).toBe(Number.NEGATIVE_INFINITY);
  });

  it('refuses other strings, booleans, an empty object and a non-object', () => {
    refusal(PushPoint, point({ loss: 'fast' }));
    refusal(PushPoint, point({ loss: '1.5' }));
    refusal(PushPoint, point({ loss: true }));
    expect(refusal(PushPoint, point({}))).toContain('at least one metric');
    expect(refusal(PushPoint, point([1, 2]))).toContain(
      'expected an object of metric name -> value',
    );
    expect(refusal(PushPoint, point(null))).toContain('expected an object of metric name -> value');
  });

  it('keeps a metric named __proto__ as an own key of a prototype-free record', () => {
    const m = metricsOf(JSON.parse('{"__proto__": 1.5, "loss": 2}'));
    expect(Object.getPrototypeOf(m)).toBeNull();
    expect(Object.keys(m)).toEqual(['__proto__', 'loss']);
    expect(m.__proto__).toBe(1.5);
  });
});

describe('PushPoint step and time', () => {
  it('takes whole steps from 0 to the largest safe integer', () => {
    expect(PushPoint.parse(point({ loss: 1 }, { step: 0 })).step).toBe(0);
    expect(PushPoint.parse(point({ loss: 1 }, { step: Number.MAX_SAFE_INTEGER })).step).toBe(
      Number.MAX_SAFE_INTEGER,
    );
    refusal(PushPoint, point({ loss: 1 }, { step: -1 }));
    refusal(PushPoint, point({ loss: 1 }, { step: 1.5 }));
    refusal(PushPoint, point({ loss: 1 }, { step: Number.MAX_SAFE_INTEGER + 2 }));
    refusal(PushPoint, point({ loss: 1 }, { step: '1' }));
  });

  it('a time is optional and finite', () => {
    expect(PushPoint.parse(point({ loss: 1 }, { time: 1.7e9 })).time).toBe(1.7e9);
    expect(PushPoint.parse(point({ loss: 1 })).time).toBeUndefined();
    refusal(PushPoint, point({ loss: 1 }, { time: Number.POSITIVE_INFINITY }));
  });
});

describe('PushInput', () => {
  const base = { run: 'r1', points: [point({ loss: 1 })] };

  it('accepts exactly the five client statuses', () => {
    for (const s of ['running', 'finished', 'crashed', 'stopped', 'unknown']) {
      expect(PushStatus.parse(s)).toBe(s);
      expect(PushInput.parse({ ...base, status: s }).status).toBe(s);
    }
    refusal(PushInput, { ...base, status: 'done' });
  });

  it('up to 100 tags', () => {
    const tags = Array.from({ length: 100 }, (_, i) => `t${i}`);
    expect(PushInput.parse({ ...base, tags }).tags).toHaveLength(100);
    refusal(PushInput, { ...base, tags: [...tags, 't100'] });
  });

  it('params and tokensPerStep are positive', () => {
    expect(PushInput.parse({ ...base, params: 1, tokensPerStep: 0.5 })).toMatchObject({
      params: 1,
      tokensPerStep: 0.5,
    });
    refusal(PushInput, { ...base, params: 0 });
    refusal(PushInput, { ...base, tokensPerStep: 0 });
  });

  it(`takes up to ${MAX_PUSH_POINTS} points per push, not one more`, () => {
    expect(MAX_PUSH_POINTS).toBe(100_000);
    const points = Array.from({ length: MAX_PUSH_POINTS }, (_, i) =>
      point({ loss: 1 }, { step: i }),
    );
    expect(PushInput.parse({ run: 'r1', points }).points).toHaveLength(MAX_PUSH_POINTS);
    points.push(point({ loss: 1 }, { step: MAX_PUSH_POINTS }));
    refusal(PushInput, { run: 'r1', points });
    // An empty batch is a valid push (status or metadata only).
    expect(PushInput.parse({ run: 'r1', points: [] }).points).toEqual([]);
  });
});
