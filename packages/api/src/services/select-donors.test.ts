import type { ScheduleSpec } from '@runcast/core';
import { describe, expect, it } from 'vitest';
import { type DonorCandidate, MAX_DONORS, selectDonors } from './select-donors';

const spec = (kind: ScheduleSpec['kind'], peak: number, total: number): ScheduleSpec => ({
  kind,
  peak,
  warmup: 100,
  total,
  ...(kind === 'wsd' ? { decay: 0.2 } : {}),
});

function curve(offset: number, n = 10) {
  const steps = Float64Array.from({ length: n }, (_, i) => i * 100);
  const values = Float64Array.from({ length: n }, (_, i) => 4 - i * 0.1 + offset);
  return { steps, values };
}

function candidate(id: number, schedule: ScheduleSpec, offset = id): DonorCandidate<number> {
  return { id, schedule, createdAt: id, ...curve(offset), payload: id };
}

const target = { schedule: spec('cosine', 1e-3, 10_000), createdAt: 0, ...curve(0, 5) };

describe('selectDonors', () => {
  it('drops replicates (same schedule) and runs sharing the whole observed prefix', () => {
    const replicate = candidate(1, spec('cosine', 1e-3, 10_000));
    const base = { ...candidate(2, spec('constant', 1e-3, 10_000)), ...curve(0) };
    const other = candidate(3, spec('wsd', 1e-3, 10_000));
    const chosen = selectDonors(target, [replicate, base, other]).map((c) => c.candidate.id);
    expect(chosen).toEqual([3]);
  });

  it('keeps a run that branched before the cut without its shared points', () => {
    const branched = candidate(4, spec('wsd', 1e-3, 10_000));
    branched.values = Float64Array.from(branched.values, (v, i) =>
      i < 3 ? curve(0).values[i]! : v,
    );
    const [chosen] = selectDonors(target, [branched]);
    expect(chosen?.dropBefore).toBe(200);
  });

  it('prefers the same peak LR, then the nearest horizon, interleaving schedule kinds', () => {
    const candidates = [
      candidate(10, spec('constant', 3e-4, 10_000)),
      candidate(11, spec('wsd', 1e-3, 40_000)),
      candidate(12, spec('wsd', 1e-3, 12_000)),
      candidate(13, spec('linear', 1e-3, 11_000)),
      candidate(14, spec('constant', 1e-3, 10_000)),
    ];
    const chosen = selectDonors(target, candidates).map((c) => c.candidate.id);
    expect(chosen.slice(0, 3).sort()).toEqual([12, 13, 14]);
    expect(chosen[3]).toBe(11);
    expect(chosen.at(-1)).toBe(10);
  });

  it('returns at most MAX_DONORS', () => {
    const many = Array.from({ length: 20 }, (_, i) =>
      candidate(100 + i, spec('wsd', 1e-3, 5_000 + i * 500)),
    );
    expect(selectDonors(target, many)).toHaveLength(MAX_DONORS);
  });
});
