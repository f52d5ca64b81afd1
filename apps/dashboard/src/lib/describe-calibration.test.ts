import { describe, expect, it } from 'vitest';
import { describeCalibration, readCalibration } from './describe-calibration';

describe('describeCalibration', () => {
  it('says on how many backtests of how many finished runs the bands were calibrated', () => {
    expect(describeCalibration({ calibrated: true, backtests: 6, samples: 24 })).toBe(
      'bands calibrated on 24 backtests of 6 finished runs',
    );
    expect(describeCalibration({ calibrated: true, backtests: 1, samples: 1 })).toBe(
      'bands calibrated on 1 backtest of 1 finished run',
    );
  });

  it('says why the bands are uncalibrated', () => {
    expect(describeCalibration({ calibrated: false, backtests: 0, samples: 0 }, 'mtl')).toBe(
      'bands uncalibrated (no finished runs backtested yet)',
    );
    expect(describeCalibration({ calibrated: false, backtests: 2, samples: 7 }, 'mpl')).toBe(
      'bands uncalibrated (7 backtests of 2 finished runs: too few for mpl)',
    );
    expect(describeCalibration({ calibrated: false, backtests: 2, samples: 7 })).toBe(
      'bands uncalibrated (7 backtests of 2 finished runs: too few for any model)',
    );
  });
});

describe('readCalibration', () => {
  it('reads the forecast diagnostics and refuses what is not a calibration', () => {
    const calibration = {
      calibrated: true,
      backtests: 6,
      samples: 24,
      version: 'abc',
      source: 'mtl@0.6 (n=12)',
    };
    expect(readCalibration({ calibration })).toEqual({
      calibrated: true,
      backtests: 6,
      samples: 24,
      source: 'mtl@0.6 (n=12)',
    });
    expect(readCalibration({})).toBeNull();
    expect(readCalibration(undefined)).toBeNull();
    expect(readCalibration({ calibration: { calibrated: 'yes', backtests: 1, samples: 1 } })).toBe(
      null,
    );
  });
});
