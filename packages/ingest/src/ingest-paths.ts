import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { FileSummary, IngestSummary } from '@runcast/core';
import type { Store } from '@runcast/db';
import { findConsoleCaptures } from './console-capture';
import { findPlugin } from './detect-format';
import { DEFAULT_CHUNK_SIZE } from './ingest-file';
import { prepareFile, skippedSummary } from './ingest-one';
import { applySideFile, claimSideFile, type SideFileClaim, sideFileSummary } from './side-files';
import type { IngestOptions } from './types';
import { walkPaths } from './walk-paths';

/**
 * The overall status: failed when nothing could be read, partial when some file (or a named
 * path) had errors or was not recognised, else completed. Unrecognised files found by walking a
 * folder are listed but do not make the ingest partial.
 */
export function summarise(files: { summary: FileSummary; explicit: boolean }[]): IngestSummary {
  const counted = files.filter((f) => f.explicit || f.summary.status !== 'skipped');
  const readable = counted.filter((f) =>
    ['completed', 'partial', 'unchanged'].includes(f.summary.status),
  );
  let status: IngestSummary['status'] = 'completed';
  if (readable.length === 0) status = 'failed';
  else if (
    readable.length < counted.length ||
    readable.some((f) => f.summary.status === 'partial')
  ) {
    status = 'partial';
  }
  const summaries = files.map((f) => f.summary);
  return { status, files: summaries, points: summaries.reduce((n, f) => n + f.points, 0) };
}

/** Bytes left to read over all files (size minus saved offset), for progress bars. */
async function estimateBytes(db: Store, files: readonly { path: string }[]): Promise<number> {
  let total = 0;
  for (const f of files) {
    try {
      const { size } = await stat(f.path);
      const offset = (await db.ingest.getOffset({ path: f.path }))?.offset ?? 0;
      total += size >= offset ? size - offset : size;
    } catch {
      // Reported when the file is read.
    }
  }
  return total;
}

/**
 * Ingests files and folders (recursively) into the store: detects each file's format, resumes
 * from its saved offset, and reports per file. Idempotent: a second run adds 0 points.
 * Throws only for a bad `format` name; bad files are reported in the summary.
 */
export async function ingestPaths(options: IngestOptions): Promise<IngestSummary> {
  const { db, plugins } = options;
  if (options.format && options.format !== 'auto') findPlugin(plugins, options.format);
  const walked = await walkPaths(options.paths);
  const results: { summary: FileSummary; explicit: boolean }[] = walked.missing.map((m) => ({
    summary: { ...skippedSummary(m.path, m.message, 'error'), status: 'failed' },
    explicit: true,
  }));
  // Files plugins take by name only (model checkpoints) are never opened; they tell about runs
  // that the logs create, so they are applied after every log file.
  const logs: typeof walked.files = [];
  const sides: { claim: SideFileClaim; explicit: boolean }[] = [];
  const captures = findConsoleCaptures(walked.files.map((f) => f.path));
  for (const file of walked.files) {
    const capturedBy = file.explicit ? undefined : captures.get(file.path);
    if (capturedBy) {
      const message = `console output of the W&B run read from ${basename(capturedBy)}: not read twice`;
      results.push({ summary: skippedSummary(file.path, message, 'warning'), explicit: false });
      continue;
    }
    const claim = await claimSideFile(plugins, file.path);
    if (claim) sides.push({ claim, explicit: file.explicit });
    else logs.push(file);
  }
  const progress = { bytesDone: 0, bytesTotal: await estimateBytes(db, logs), points: 0 };
  options.onProgress?.({ ...progress });
  for (const file of logs) {
    const prep = await prepareFile({ ...options, path: file.path });
    if (!prep.run) {
      results.push({ summary: prep.summary!, explicit: file.explicit });
      continue;
    }
    try {
      const result = await prep.run({
        final: options.final ?? true,
        chunkSize: options.chunkSize ?? DEFAULT_CHUNK_SIZE,
        onChunk: (bytes, points) => {
          progress.bytesDone += bytes;
          progress.points += points;
          // The estimate misses files re-read from 0 (rewritten): never report more done than total.
          progress.bytesTotal = Math.max(progress.bytesTotal, progress.bytesDone);
          options.onProgress?.({ ...progress });
        },
      });
      results.push({ summary: result.summary, explicit: file.explicit });
    } catch (error) {
      // Not a bad record (those are issues) but e.g. the store failing: report it with the file.
      const message = error instanceof Error ? error.message : String(error);
      results.push({
        summary: {
          ...skippedSummary(file.path, message, 'error'),
          format: prep.plan?.plugin.meta.name ?? null,
          status: 'failed',
        },
        explicit: true,
      });
    } finally {
      await prep.close();
    }
  }
  for (const { claim, explicit } of sides) {
    results.push({ summary: sideFileSummary(claim, await applySideFile(db, claim)), explicit });
  }
  return summarise(results);
}
