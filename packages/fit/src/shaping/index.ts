export * from './align-series';
export * from './downsample-min-max';
export * from './lttb';
export * from './smooth-ema';
export * from './smooth-gaussian';
export type { XYInput, XYSeries } from './xy-series';
