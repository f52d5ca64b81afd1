export * from './errors';
export * from './forecast';
export * from './ingest-summary';
export * from './metric-names';
export * from './plugin';
export * from './run';
export * from './schedule';
export * from './series';
