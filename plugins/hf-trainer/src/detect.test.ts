import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createHfTrainerPlugin } from './index';

const LOGS = fileURLToPath(new URL('../../../../shared/fixtures/logs/', import.meta.url));

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** Fixture files of this plugin's format (path relative to fixtures/logs). */
const isMine = (rel: string) =>
  /^hf-trainer-state\/.+\/(trainer_state|all_results|train_results|eval_results)\.json$/.test(rel);

describe('detect() across the fixtures of every format', () => {
  const plugin = createHfTrainerPlugin();
  const files = listFiles(LOGS).map((path) => ({ path, rel: path.slice(LOGS.length) }));

  it('has fixtures of its own format', () => {
    expect(files.filter((f) => isMine(f.rel)).length).toBeGreaterThan(1);
  });

  it.each(files)('$rel', ({ path, rel }) => {
    const confidence = plugin.detect(path, readFileSync(path).subarray(0, 64 * 1024));
    if (isMine(rel)) expect(confidence).toBeGreaterThanOrEqual(0.9);
    else expect(confidence).toBe(0);
  });
});
