// Test support: the e2e suites need Debian's Chromium. Outside CI (`CI` not `true`) a machine
// without it skips them with one line saying how to install it; in CI a missing browser fails.
// biome-ignore lint/style/noRestrictedImports: test code checks for a system program.
import { accessSync, constants } from 'node:fs';
import { describe, it } from 'vitest';
import { CHROMIUM_PATH } from './launch-chromium';

/** Why Chromium cannot be started, or null when it can. */
export function findMissingChromium(path: string = CHROMIUM_PATH): string | null {
  try {
    accessSync(path, constants.X_OK);
    return null;
  } catch {
    return `no executable Chromium at ${path}: install it (Debian/Ubuntu: \`sudo apt-get install chromium\`) or set CHROMIUM_PATH`;
  }
}

/**
 * `describe` for a suite that drives Chromium: `describe.skip` with one warning line when the
 * browser is missing outside CI; with CI=true a suite whose one test fails naming what is missing.
 */
export function describeWithChromium(name: string, body: () => void): void {
  const missing = findMissingChromium();
  if (missing === null) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs Chromium (CI=true)', () => {
        throw new Error(`${name}: ${missing}`);
      });
    });
    return;
  }
  console.warn(`skipping ${name}: ${missing}`);
  describe.skip(name, body);
}
