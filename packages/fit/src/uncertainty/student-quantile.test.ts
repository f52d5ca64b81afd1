import { describe, expect, it } from 'vitest';
import { computeStudentQuantile } from './student-quantile';

describe('computeStudentQuantile', () => {
  it('matches t tables for the 80 % and 95 % two-sided quantiles', () => {
    // t_{0.9}(8) = 1.3968, t_{0.975}(8) = 2.3060, t_{0.975}(30) = 2.0423 (standard tables).
    expect(computeStudentQuantile(0.9, 8)).toBeCloseTo(1.3968, 2);
    expect(computeStudentQuantile(0.975, 8)).toBeCloseTo(2.306, 2);
    expect(computeStudentQuantile(0.975, 30)).toBeCloseTo(2.0423, 3);
    expect(computeStudentQuantile(0.975, 1e9)).toBeCloseTo(1.959964, 5);
  });
});
