import { decisionsRouter } from './routers/decisions';
import { forecastsRouter } from './routers/forecasts';
import { ingestRouter } from './routers/ingest';
import { liveRouter } from './routers/live';
import { projectsRouter } from './routers/projects';
import { runsRouter } from './routers/runs';
import { scalingRouter } from './routers/scaling';
import { seriesRouter } from './routers/series';
import { tokensRouter } from './routers/tokens';
import { router } from './trpc';

export const appRouter = router({
  projects: projectsRouter,
  runs: runsRouter,
  series: seriesRouter,
  forecasts: forecastsRouter,
  decisions: decisionsRouter,
  scaling: scalingRouter,
  ingest: ingestRouter,
  tokens: tokensRouter,
  live: liveRouter,
});

export type AppRouter = typeof appRouter;
