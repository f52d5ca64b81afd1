import { readProcedure, router } from '../trpc';

export const projectsRouter = router({
  list: readProcedure.query(({ ctx }) => ctx.services.runs.listProjects()),
});
