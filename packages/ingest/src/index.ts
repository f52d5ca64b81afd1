/**
 * @runcast/ingest — the plugin host. Plugins are injected, never imported.
 *
 * - ingestPaths({ db, plugins, paths, format?, project?, run?, group?, schedule?, final?,
 *   chunkSize?, onProgress? }) -> Promise<IngestSummary>: walks folders (recursively; dotfiles,
 *   node_modules, .git and *.db skipped), picks each file's plugin (forced `format`, else the one
 *   it was ingested with, else the most confident detect()), reads from the saved byte offset
 *   (restarting from 0 when the file shrank or its head / the bytes before the offset changed;
 *   'rewrite' plugins re-read whole files on any change) in 1 MiB chunks, and commits each
 *   chunk's points together with the new offset + plugin state (BEGIN IMMEDIATE). Same file
 *   twice adds 0 points; a killed ingest resumes with no loss and no duplicates. Bad records are
 *   issues in the file's summary (line or offset); a plugin that throws fails only its file.
 *   Summary status: failed when nothing could be read, partial when some file had errors.
 *   Run metadata (RunInfo) is applied in its chunk's transaction even without rows (a file of
 *   params/config alone creates its run); config merges key by key into the stored config, tags
 *   are united; explicit project/run/group/schedule options win. ParseResult.projectScopes are
 *   stored (project_scopes) and give their project to runs created later under the key prefix
 *   and to stored ones still in 'default' (or in an earlier scope's project), in either order.
 *   Files a plugin takes by name (IngestPlugin.sideFile: model checkpoints) are never opened:
 *   after the logs, their news goes to stored runs only (the furthest checkpoint into the config,
 *   CHECKPOINT_KEY; the one of the planned end makes the run finished, statusSource
 *   'log-metadata'), and their summaries are 'skipped' with `sideFileOf`.
 * - watch({ paths | dirs, plugins, db, onEvent, usePolling?/poll?, interval?, finalAfterMs? })
 *   -> Watcher { ready, idle(), close() }: ingests what is there, tails growing files (a
 *   partial last record waits; after `finalAfterMs` of quiet an unterminated one is read as
 *   complete), picks up new files, never stops on a bad file; events: 'points' (per run, with
 *   series keys), 'file' (a FileSummary with news or problems), 'error', 'ready'.
 * - detectFormat({ path, plugins, head?, format? }) -> { plugin, confidence, tried, message }.
 * - identifyByPath(path): the default run identity (key = absolute path, name = the file stem,
 *   or the folder's name for generic stems such as metrics, log, train, trainer_log, results).
 */
export { type DetectResult, detectFormat, HEAD_BYTES, readHead } from './detect-format';
export { DEFAULT_CHUNK_SIZE, MAX_RECORD_BYTES } from './ingest-file';
export { ingestPaths, summarise } from './ingest-paths';
export { identifyByPath } from './run-identity';
export type { AnyPlugin, IngestEvent, IngestOptions, IngestProgress, RunOptions } from './types';
export { isIgnoredPath, walkPaths } from './walk-paths';
export { type Watcher, type WatchOptions, watch } from './watch';
