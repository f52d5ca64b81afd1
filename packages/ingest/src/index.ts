/**
 * @runcast/ingest — the plugin host. Plugins are injected, never imported.
 *
 * - ingestPaths({ db, plugins, paths, format?, project?, run?, group?, schedule?, final?,
 *   onProgress? }) -> Promise<IngestSummary>: walks folders, detects each file's format, reads
 *   from the saved byte offset (a changed head fingerprint or a shorter file restarts from 0),
 *   and commits each chunk's points together with the new offset + plugin state.
 * - watch({ paths, plugins, db, onEvent, usePolling? ... }) -> Watcher { ready, close() }: tails
 *   files with chokidar, picks up new ones, never stops on a bad file.
 * - detectFormat({ path, plugins, head?, format? }) -> { plugin, confidence, tried, message }.
 * - identifyByPath(path): the default run identity (key = absolute path, name = stem or folder).
 */
export { type DetectResult, detectFormat, HEAD_BYTES, readHead } from './detect-format';
export { DEFAULT_CHUNK_SIZE, MAX_RECORD_BYTES } from './ingest-file';
export { ingestPaths, summarise } from './ingest-paths';
export { identifyByPath } from './run-identity';
export type { AnyPlugin, IngestEvent, IngestOptions, IngestProgress, RunOptions } from './types';
export { isIgnoredPath, walkPaths } from './walk-paths';
export { type Watcher, type WatchOptions, watch } from './watch';
