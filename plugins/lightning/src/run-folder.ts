import type { SourceIdentity } from '@runcast/core';

/**
 * The run of a CSVLogger file: its `version_N` folder. Named `<experiment>/<version>`, where the
 * experiment is the logger's `name` folder, or the folder above the default `lightning_logs`.
 */
export function identifyLightningRun(path: string): SourceIdentity {
  const sep = path.includes('/') || !path.includes('\\') ? '/' : '\\';
  const parts = path.split(/[\\/]+/);
  parts.pop();
  const version = parts.at(-1) || 'version_0';
  const logger = parts.at(-2);
  const above = parts.at(-3);
  const experiment = logger === 'lightning_logs' && above ? above : logger;
  return { key: parts.join(sep) || sep, name: experiment ? `${experiment}/${version}` : version };
}
