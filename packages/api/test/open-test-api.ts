import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppCaller, openLocalApi, type Services } from '../src/index';

/** A trusted caller over a fresh SQLite file (real migrations); close() removes it. */
export function openTestApi(options: { pushRate?: { perSecond: number; burst: number } } = {}): {
  caller: AppCaller;
  services: Services;
  dir: string;
  dbPath: string;
  close(): Promise<void>;
} {
  const dir = mkdtempSync(join(tmpdir(), 'runcast-api-'));
  const dbPath = join(dir, 'runcast.db');
  const api = openLocalApi({
    db: dbPath,
    ...(options.pushRate ? { pushRate: options.pushRate } : {}),
  });
  return {
    caller: api.caller,
    services: api.services,
    dir,
    dbPath,
    close: async () => {
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A smooth decreasing loss with a little deterministic wobble: step -> loss. */
export function syntheticLoss(step: number): number {
  return 2.5 + 4 / Math.sqrt(1 + step / 50) + 0.01 * Math.sin(step / 37);
}
