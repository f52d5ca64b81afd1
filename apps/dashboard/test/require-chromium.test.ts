import { expect, it } from 'vitest';
import { findMissingChromium } from './require-chromium';

it('names a missing Chromium and how to install it', () => {
  const missing = findMissingChromium('/nonexistent/chromium');
  expect(missing).toMatch(/^no executable Chromium at \/nonexistent\/chromium: install it/);
  expect(missing).toContain('apt-get install chromium');
});

it('finds an executable at the given path', () => {
  expect(findMissingChromium(process.execPath)).toBeNull();
});
