export { type AppCaller, createCaller, openLocalApi } from './caller';
export { type Auth, type Context, createTrustedContext } from './context';
export { DEMO_GROUP, DEMO_PROJECT, seedDemo, startLiveDemo } from './demo/run-demo';
export { httpStatusFor, toTRPCError } from './errors';
export { createDefaultPlugins } from './plugins';
export {
  abortedJobError,
  createInlineFitPool,
  type FitJobOptions,
  type FitPool,
  isPoolRefusal,
} from './pool/fit-pool';
export { type AppRouter, appRouter } from './root';
export { type CreateServerOptions, createServer, type RuncastServer } from './server';
export { createServices, type Services } from './services/create-services';
export type { LiveEvent } from './services/live-service';
export type { RunPageSort, SortDirection } from './services/page-runs';
export { MAX_PUSH_POINTS, PushInput } from './services/push-input';
export type { RunSummary, SeriesStat } from './services/run-summary';
