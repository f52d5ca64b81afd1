import type { FileSummary } from '@runcast/core';
import type { Store } from '@runcast/db';
import { detectFormat, findPlugin } from './detect-format';
import { type FilePlan, type FileResult, ingestFile, openForIngest, planFile } from './ingest-file';
import { acquirePathLock } from './path-lock';
import type { AnyPlugin, RunOptions } from './types';

export interface PreparedFile {
  path: string;
  /** Set when the file cannot be read: its summary says why. */
  summary?: FileSummary;
  plan?: FilePlan;
  run?: (options: {
    final: boolean;
    chunkSize?: number;
    onChunk?: (bytes: number, points: number) => void;
  }) => Promise<FileResult>;
  close(): Promise<void>;
}

export function skippedSummary(
  path: string,
  message: string,
  level: 'error' | 'warning',
): FileSummary {
  return {
    path,
    format: null,
    status: 'skipped',
    points: 0,
    rows: 0,
    bytes: 0,
    runs: [],
    errors: [{ level, message }],
  };
}

function failedSummary(path: string, format: string | null, message: string): FileSummary {
  return { ...skippedSummary(path, message, 'error'), format, status: 'failed' };
}

/**
 * Opens a file, picks its plugin (forced, the one it was ingested with before, or detected) and
 * plans the read; `run` then ingests it. Never throws for a bad file: `summary` says why.
 * Holds the file's path lock (one pass per file at a time in this process) until close().
 */
export async function prepareFile(options: PrepareFileOptions): Promise<PreparedFile> {
  const releasePath = await acquirePathLock(options.path);
  let unlockStore: (() => Promise<void>) | null = null;
  const release = async () => {
    try {
      await unlockStore?.();
    } finally {
      releasePath();
    }
  };
  let prep: PreparedFile;
  try {
    // Other processes on the same store (servers watching one folder) wait here too.
    unlockStore = await options.db.ingest.lockFile({ path: options.path });
    prep = await prepareUnlocked(options);
  } catch (error) {
    await release();
    throw error;
  }
  // A file that cannot be read was closed already; a readable one holds the path until close().
  if (!prep.run) {
    await release();
    return prep;
  }
  const closeFile = prep.close;
  return {
    ...prep,
    close: async () => {
      try {
        await closeFile();
      } finally {
        await release();
      }
    },
  };
}

type PrepareFileOptions = RunOptions & {
  db: Store;
  path: string;
  plugins: readonly AnyPlugin[];
  format?: string;
};

async function prepareUnlocked(options: PrepareFileOptions): Promise<PreparedFile> {
  const { db, path, plugins } = options;
  let fd: Awaited<ReturnType<typeof openForIngest>>;
  try {
    fd = await openForIngest(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? 'no such file or directory' : String(error);
    return { path, summary: failedSummary(path, null, message), close: async () => {} };
  }
  const close = () => fd.close().catch(() => {});
  try {
    const st = await fd.stat();
    let plugin: AnyPlugin | null = null;
    if (options.format && options.format !== 'auto') plugin = findPlugin(plugins, options.format);
    else {
      const saved = await db.ingest.getOffset({ path });
      plugin = plugins.find((p) => p.meta.name === saved?.plugin) ?? null;
    }
    if (!plugin) {
      if (st.size === 0) {
        await close();
        return { path, summary: skippedSummary(path, 'empty file (0 bytes)', 'warning'), close };
      }
      const detected = await detectFormat({ path, plugins });
      if (!detected.plugin) {
        await close();
        return { path, summary: skippedSummary(path, detected.message!, 'error'), close };
      }
      plugin = detected.plugin;
    }
    const chosen = plugin;
    const plan = await planFile({ db, path, plugin: chosen, fd });
    if (plan.size === 0) {
      await close();
      return {
        path,
        summary: {
          ...skippedSummary(path, 'empty file (0 bytes)', 'warning'),
          format: chosen.meta.name,
        },
        close,
      };
    }
    return {
      path,
      plan,
      run: (run) => ingestFile({ ...options, ...run, db, plan, fd }),
      close,
    };
  } catch (error) {
    await close();
    if (options.format && options.format !== 'auto') throw error;
    return { path, summary: failedSummary(path, null, String(error)), close };
  }
}
