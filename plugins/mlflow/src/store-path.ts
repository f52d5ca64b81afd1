/** What a path inside an MLflow file store (`mlruns/`) is. */
interface RunFile {
  runDir: string;
  runId: string;
  experimentId: string;
}

export type StoreFile =
  | (RunFile & { kind: 'metric'; key: string })
  | (RunFile & { kind: 'param'; key: string })
  | (RunFile & { kind: 'tag'; key: string })
  | (RunFile & { kind: 'run-meta' })
  | { kind: 'experiment-meta'; experimentDir: string; experimentId: string };

const RUN_ID = /^[0-9a-f]{32}$/;
const KINDS = { metrics: 'metric', params: 'param', tags: 'tag' } as const;

function separatorOf(path: string): string {
  return path.includes('/') || !path.includes('\\') ? '/' : '\\';
}

/**
 * Classifies `<experiment_id>/<run_id>/{metrics,params,tags}/<key...>`, `<experiment_id>/<run_id>/meta.yaml`
 * and `<experiment_id>/meta.yaml`; undefined for anything else (artifacts, deleted experiments in .trash).
 */
export function classifyStorePath(path: string): StoreFile | undefined {
  const sep = separatorOf(path);
  const parts = path.split(/[\\/]+/);
  if (parts.includes('.trash')) return undefined;
  for (let i = parts.length - 2; i >= 1; i--) {
    const runId = parts[i]!;
    if (!RUN_ID.test(runId)) continue;
    const below = parts[i + 1]!;
    const runDir = parts.slice(0, i + 1).join(sep);
    const experimentId = parts[i - 1]!;
    if (below === 'meta.yaml' && i + 2 === parts.length)
      return { kind: 'run-meta', runDir, runId, experimentId };
    const kind = KINDS[below as keyof typeof KINDS];
    if (kind && i + 2 < parts.length) {
      return { kind, runDir, runId, experimentId, key: parts.slice(i + 2).join('/') };
    }
    return undefined;
  }
  if (parts.at(-1) === 'meta.yaml' && parts.length >= 2) {
    return {
      kind: 'experiment-meta',
      experimentDir: parts.slice(0, -1).join(sep),
      experimentId: parts.at(-2)!,
    };
  }
  return undefined;
}
