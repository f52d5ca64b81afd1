import { GroupName, RunName, RunStatus, TagName } from '@runcast/core';
import { z } from 'zod';
import { BoundedScheduleSpec } from '../services/schedule-input';
import { readProcedure, router, writeProcedure } from '../trpc';

const RunId = z.number().int().positive();

export const RunsListInput = z
  .object({
    project: z.string().min(1).max(200).optional(),
    status: RunStatus.optional(),
    tag: z.string().min(1).max(200).optional(),
    search: z.string().max(500).optional(),
    group: z.string().min(1).max(200).optional(),
    sort: z.enum(['updated', 'name', 'status', 'created']).optional(),
    limit: z.number().int().positive().max(10_000).optional(),
  })
  .optional();

export const RunsPageInput = z.object({
  project: z.string().min(1).max(200).optional(),
  status: RunStatus.optional(),
  tag: z.string().min(1).max(200).optional(),
  search: z.string().max(500).optional(),
  group: z.string().min(1).max(200).optional(),
  sort: z
    .union([
      z.enum(['updated', 'name', 'status', 'created', 'group', 'steps']),
      z.templateLiteral(['config.', z.string().min(1).max(200)]),
    ])
    .optional(),
  dir: z.enum(['asc', 'desc']).optional(),
  cursor: z.string().max(2000).nullish(),
  limit: z.number().int().positive().max(500).default(50),
});

export const RunsUpdateInput = z.object({
  id: RunId,
  name: RunName.optional(),
  tags: z.array(TagName).max(100).optional(),
  notes: z.string().max(100_000).optional(),
  group: GroupName.nullable().optional(),
  schedule: BoundedScheduleSpec.nullable().optional(),
  params: z.number().positive().nullable().optional(),
  tokensPerStep: z.number().positive().nullable().optional(),
  status: RunStatus.optional(),
});

export const runsRouter = router({
  list: readProcedure.input(RunsListInput).query(({ ctx, input }) => ctx.services.runs.list(input)),
  /** One page of runs with a cursor for the next, the number of matches and the filter counts. */
  page: readProcedure.input(RunsPageInput).query(({ ctx, input }) => ctx.services.runs.page(input)),
  byId: readProcedure
    .input(z.object({ id: RunId }))
    .query(({ ctx, input }) => ctx.services.runs.byId(input.id)),
  /** A run by id, key or exact name (the CLI's `<run>` argument). */
  resolve: readProcedure
    .input(z.object({ ref: z.union([z.string().min(1).max(1000), RunId]) }))
    .query(({ ctx, input }) => ctx.services.runs.resolve(input.ref)),
  update: writeProcedure.input(RunsUpdateInput).mutation(({ ctx, input }) => {
    const { id, ...patch } = input;
    // A status set through the API by hand (dashboard, CLI) is the user's.
    return ctx.services.runs.update({
      id,
      patch: patch.status === undefined ? patch : { ...patch, statusSource: 'user' },
    });
  }),
  delete: writeProcedure
    .input(z.object({ id: RunId }))
    .mutation(({ ctx, input }) => ctx.services.runs.delete(input)),
});
