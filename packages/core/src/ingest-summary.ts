import { z } from 'zod';

export const FileIssue = z.object({
  level: z.enum(['error', 'warning']),
  message: z.string(),
  line: z.number().int().optional(),
  offset: z.number().int().optional(),
  field: z.string().optional(),
});
export type FileIssue = z.infer<typeof FileIssue>;

export const FileStatus = z.enum(['completed', 'partial', 'failed', 'unchanged', 'skipped']);
export type FileStatus = z.infer<typeof FileStatus>;

/** What ingesting one file did; `ingest --json` prints `{ files: FileSummary[] }`. */
export const FileSummary = z.object({
  path: z.string(),
  format: z.string().nullable(),
  status: FileStatus,
  /** Points written (new or replaced) by this pass. */
  points: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  runs: z.array(z.string()),
  errors: z.array(FileIssue),
  skipped: z.record(z.string(), z.number()).optional(),
  /** The plugin that took this file by its name only (a model checkpoint): never read, not a log. */
  sideFileOf: z.string().optional(),
});
export type FileSummary = z.infer<typeof FileSummary>;

export const IngestSummary = z.object({
  status: z.enum(['completed', 'partial', 'failed']),
  files: z.array(FileSummary),
  points: z.number().int().nonnegative(),
});
export type IngestSummary = z.infer<typeof IngestSummary>;
