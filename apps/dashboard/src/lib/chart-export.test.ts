import { describe, expect, it } from 'vitest';
import { buildChartFileName, toChartCsv } from './chart-export';

describe('toChartCsv', () => {
  it('writes one line per row, a band as low and high columns, gaps as empty cells', () => {
    const csv = toChartCsv({
      rows: [
        { x: 100, val: 3.2, band80: null },
        { x: 200, val: undefined, band80: [2.9, 3.1] },
        { x: 300, val: Number.NaN, band80: [2.8, 3.0] },
      ],
      columns: [
        { key: 'x', label: 'step' },
        { key: 'val', label: 'val loss' },
        { key: 'band80', label: 'forecast 80%' },
      ],
    });
    expect(csv).toBe(
      'step,val loss,forecast 80% low,forecast 80% high\n100,3.2,,\n200,,2.9,3.1\n300,NaN,2.8,3\n',
    );
  });

  it('quotes labels with commas or quotes', () => {
    expect(toChartCsv({ rows: [], columns: [{ key: 'a', label: 'loss, "val"' }] })).toBe(
      '"loss, ""val"""\n',
    );
  });
});

describe('buildChartFileName', () => {
  it('keeps names safe for any file system', () => {
    expect(buildChartFileName('gpt/small run #3', 'loss', 'png')).toBe('gpt_small_run_3-loss.png');
    expect(buildChartFileName('///', 'loss', 'csv')).toBe('chart-loss.csv');
  });
});
