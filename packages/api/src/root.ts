import { ingestRouter } from './routers/ingest';
import { liveRouter } from './routers/live';
import { projectsRouter } from './routers/projects';
import { runsRouter } from './routers/runs';
import { seriesRouter } from './routers/series';
import { tokensRouter } from './routers/tokens';
import { router } from './trpc';

export const appRouter = router({
  projects: projectsRouter,
  runs: runsRouter,
  series: seriesRouter,
  ingest: ingestRouter,
  tokens: tokensRouter,
  live: liveRouter,
});

export type AppRouter = typeof appRouter;
