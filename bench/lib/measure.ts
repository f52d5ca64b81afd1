import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Median wall time in ms of `runs` calls (after `warmup` untimed calls). */
export function measureMedianMs(fn: () => unknown, runs: number, warmup = 1): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const mid = Math.floor(times.length / 2);
  return times.length % 2 === 1
    ? (times[mid] as number)
    : ((times[mid - 1] as number) + (times[mid] as number)) / 2;
}

/** Writes bench/out/<name>.json (git-ignored). */
export function saveBenchJson(name: string, data: unknown): string {
  const dir = fileURLToPath(new URL('../out/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const path = `${dir}${name}.json`;
  writeFileSync(path, `${JSON.stringify(data, null, 2)}\n`);
  return path;
}
