// End-to-end (issue 12 acceptance and item 6): a keyboard-only pass over the three pages - every
// control reachable with Tab and operable with Enter / Space / arrows, focus kept through the
// confirmations - and axis titles with units on every chart, a title on every page. Real headless
// Chromium against a real seeded server; screenshots go to test-output/.
// biome-ignore lint/style/noRestrictedImports: test code writes screenshots.
import { mkdirSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureDashboardBuilt } from './ensure-dist';
import { launchChromium } from './launch-chromium';
import { CONSTANT_CURVE, WSD_CURVE } from './read-curve';
import { describeWithChromium } from './require-chromium';
import { type SeededServer, startSeededServer } from './seed-server';

const OUT = new URL('../test-output/', import.meta.url).pathname;
const LIVE = 'kb-live-wsd';
const FINISHED = 'kb-finished';

let seeded: SeededServer;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let context: BrowserContext;

function idOf(name: string): number {
  const id = seeded.runIds.get(name);
  if (id === undefined) throw new Error(`seeded run ${name} missing`);
  return id;
}

async function openPage(path: string): Promise<Page> {
  const page = await context.newPage();
  await page.addInitScript((t) => localStorage.setItem('runcast-token', t), seeded.writeToken);
  await page.goto(seeded.url + path);
  return page;
}

/** What the focused element is, in words a failure message can use. */
async function describeFocus(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return '(body)';
    const label = el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 40) ?? '';
    return `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ')[0]}` : ''} "${label}"`;
  });
}

/** Presses Tab until the focused element matches `selector` (at most `max` presses). */
async function tabTo(page: Page, selector: string, max = 120): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector} (focus on ${await describeFocus(page)})`);
}

/**
 * Tabs through the whole page from the top and returns the controls in `scope` that Tab never
 * reached (visible, enabled buttons, links, inputs, selects and focusable charts).
 */
async function unreachableControls(
  page: Page,
  scope: string,
): Promise<{ total: number; missed: string[] }> {
  await page.evaluate((s) => {
    let i = 0;
    for (const el of document.querySelectorAll<HTMLElement>(
      `${s} :is(button, a[href], input, select, textarea, [tabindex="0"])`,
    )) {
      const visible = el.offsetParent !== null || el.getClientRects().length > 0;
      if (visible && !(el as HTMLButtonElement).disabled) el.dataset.kbControl = String(i++);
    }
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  }, scope);
  const total = await page.locator('[data-kb-control]').count();
  const reached = new Set<string>();
  for (let i = 0; i < total * 3 + 40; i++) {
    await page.keyboard.press('Tab');
    const id = await page.evaluate(
      () => (document.activeElement as HTMLElement | null)?.dataset.kbControl ?? null,
    );
    if (id !== null) reached.add(id);
    if (reached.size === total) break;
  }
  const missed = await page.evaluate(
    (seen) =>
      [...document.querySelectorAll<HTMLElement>('[data-kb-control]')]
        .filter((el) => !seen.includes(el.dataset.kbControl!) && el.isConnected)
        .map((el) => el.outerHTML.slice(0, 120)),
    [...reached],
  );
  return { total, missed };
}

async function axisTitles(page: Page, chart: string): Promise<string[]> {
  const titles = page.locator(`${chart} .axis-title`);
  await titles.first().waitFor({ timeout: 30_000 });
  return (await titles.allTextContents()).map((t) => t.trim());
}

describeWithChromium('keyboard-only pass, axis titles and page titles (headless Chromium)', () => {
  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    ensureDashboardBuilt();
    seeded = await startSeededServer({
      project: 'kb',
      runs: [
        { curve: WSD_CURVE, name: LIVE, fraction: 0.6, status: 'running' },
        { curve: CONSTANT_CURVE, name: FINISHED },
      ],
      pushes: [
        {
          project: 'kb',
          run: LIVE,
          points: [
            { step: 1, metrics: { grad_norm: 1.5 } },
            { step: 500, metrics: { grad_norm: 0.9 } },
          ],
        },
      ],
    });
    browser = await launchChromium();
    context = browser.context;
  });

  afterAll(async () => {
    await browser?.close();
    await seeded?.close();
  });

  it('every chart has axis titles with units, every page a title', async () => {
    const page = await openPage('/');
    await page
      .locator('table.runs-table tbody tr[data-run-id]')
      .first()
      .waitFor({ timeout: 30_000 });
    expect(await page.title()).toBe('Runs · Runcast');

    await page.goto(`${seeded.url}/runs/${idOf(LIVE)}`);
    await page.locator('.lr-chart').waitFor({ timeout: 30_000 });
    expect(await page.title()).toBe(`${LIVE} · Runcast`);
    expect(await axisTitles(page, '.loss-chart')).toEqual(['step', 'loss']);
    expect(await axisTitles(page, '.lr-chart')).toEqual(['step', 'learning rate']);
    expect(await axisTitles(page, '.metric-panel[data-metric="grad_norm"]')).toEqual([
      'step',
      'grad_norm',
    ]);
    // The x title follows the axis chosen (tokens, wall time, time since start); log y says so.
    await page.locator('.run-charts select').first().selectOption('relative');
    await page.getByLabel('log y').check();
    await expect
      .poll(() => axisTitles(page, '.loss-chart'))
      .toEqual(['time since start', 'loss (log scale)']);
    expect(await axisTitles(page, '.lr-chart')).toEqual(['time since start', 'learning rate']);
    await page.screenshot({ path: `${OUT}axis-titles-run.png`, fullPage: true });

    await page.goto(`${seeded.url}/compare?runs=${idOf(LIVE)},${idOf(FINISHED)}`);
    await page.locator('.overlay-chart').waitFor({ timeout: 30_000 });
    expect(await page.title()).toBe('Compare 2 runs · Runcast');
    expect(await axisTitles(page, '.overlay-chart')).toEqual(['step', 'loss']);
    expect(await axisTitles(page, '.backtest-chart')).toEqual([
      'forecast made at (share of the run)',
      'final loss',
    ]);
    await page.screenshot({ path: `${OUT}axis-titles-compare.png`, fullPage: true });

    await page.goto(`${seeded.url}/no/such/page`);
    await page.getByText('Page not found').waitFor();
    expect(await page.title()).toBe('Page not found · Runcast');
    await page.close();
  });

  it('keyboard only, runs page: every control reachable; search, sort, select and compare', async () => {
    const page = await openPage('/');
    await page
      .locator('table.runs-table tbody tr[data-run-id]')
      .first()
      .waitFor({ timeout: 30_000 });
    await page.locator('table.runs-table .forecast-final .skeleton').first().waitFor({
      state: 'detached',
      timeout: 30_000,
    });
    const controls = await unreachableControls(page, 'main');
    expect(controls.total).toBeGreaterThanOrEqual(12);
    expect(controls.missed).toEqual([]);

    // "/" focuses the search; typing filters (kept in the URL).
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('/');
    expect(await describeFocus(page)).toMatch(/^input/);
    await page.keyboard.type('wsd');
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('wsd');
    await expect.poll(() => page.locator('table.runs-table tbody tr[data-run-id]').count()).toBe(1);
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await expect.poll(() => page.locator('table.runs-table tbody tr[data-run-id]').count()).toBe(2);

    // Sort headers: Enter sorts, Space reverses.
    await tabTo(page, 'button.sort-header');
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).searchParams.get('sort')).toBe('name');
    const dir = new URL(page.url()).searchParams.get('dir');
    await page.keyboard.press('Space');
    await expect.poll(() => new URL(page.url()).searchParams.get('dir')).not.toBe(dir);

    // Select two runs with Space, open the comparison with Enter.
    await tabTo(page, `tr[data-run-id="${idOf(LIVE)}"] input[type="checkbox"]`);
    await page.keyboard.press('Space');
    await tabTo(page, `tr[data-run-id="${idOf(FINISHED)}"] input[type="checkbox"]`);
    await page.keyboard.press('Space');
    await tabTo(page, 'button.primary');
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/compare');
    await page.close();
  });

  it('keyboard only, compare page: every control reachable; a legend entry hides and shows its run', async () => {
    const page = await openPage(`/compare?runs=${idOf(LIVE)},${idOf(FINISHED)}`);
    await page.locator('.run-legend button').first().waitFor({ timeout: 30_000 });
    await page.locator('table.matrix td').first().waitFor({ timeout: 30_000 });
    const controls = await unreachableControls(page, 'main');
    expect(controls.total).toBeGreaterThanOrEqual(8);
    expect(controls.missed).toEqual([]);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await tabTo(page, '.run-legend button');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('.run-legend button[aria-pressed="false"]').count())
      .toBe(1);
    await expect.poll(() => new URL(page.url()).searchParams.get('hide')).toMatch(/^\d+$/);
    await page.keyboard.press('Space');
    await expect
      .poll(() => page.locator('.run-legend button[aria-pressed="false"]').count())
      .toBe(0);
    // A run's link opens its page from the keyboard.
    await tabTo(page, `a[href="/runs/${idOf(LIVE)}"]`);
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/runs/${idOf(LIVE)}`);
    await page.close();
  });

  it('keyboard only, run page: every control reachable; chart options, zoom, what-if, mark finished with confirmation', async () => {
    const page = await openPage(`/runs/${idOf(LIVE)}`);
    await page.locator('.what-if .plan-description').waitFor({ timeout: 30_000 });
    await page.locator('.forecast-final, .error-box').first().waitFor({ timeout: 30_000 });
    const controls = await unreachableControls(page, 'main');
    expect(controls.total).toBeGreaterThanOrEqual(20);
    expect(controls.missed).toEqual([]);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

    // Chart options: a checkbox toggles with Space (kept in the URL).
    await tabTo(page, '.run-charts input[type="checkbox"]');
    await page.keyboard.press('Space');
    await expect.poll(() => new URL(page.url()).searchParams.get('logx')).toBe('1');
    await page.keyboard.press('Space');
    await expect.poll(() => new URL(page.url()).searchParams.get('logx')).toBeNull();

    // Zoom without a mouse: Zoom in halves the range, Reset zoom restores it.
    const charts = page.locator('.run-charts');
    await tabTo(page, 'button.zoom-in');
    await page.keyboard.press('Enter');
    await expect.poll(() => charts.getAttribute('data-zoom')).toMatch(/^\d/);
    const [from, to] = (await charts.getAttribute('data-zoom'))!.split(',').map(Number);
    await page.keyboard.press('Enter');
    await expect
      .poll(async () => {
        const [a, b] = ((await charts.getAttribute('data-zoom')) ?? '0,0').split(',').map(Number);
        return (b! - a!) / (to! - from!);
      })
      .toBeCloseTo(0.5, 6);
    await tabTo(page, 'button.zoom-reset');
    await page.keyboard.press('Enter');
    await expect.poll(() => charts.getAttribute('data-zoom')).toBeNull();

    // What-if: the slider moves with the arrow keys, the shape select with the arrows too; Reset
    // to plan with Enter.
    await tabTo(page, 'input.cooldown-slider');
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowLeft');
    await expect.poll(() => new URL(page.url()).searchParams.get('whatif')).toMatch(/^wsd,/);
    await expect.poll(() => page.locator('.whatif-final').count(), { timeout: 30_000 }).toBe(1);
    await tabTo(page, 'select.cooldown-shape');
    const shape = await page.evaluate(() => (document.activeElement as HTMLSelectElement).value);
    await page.keyboard.press('ArrowDown');
    await expect
      .poll(() => page.evaluate(() => (document.activeElement as HTMLSelectElement).value))
      .not.toBe(shape);
    await tabTo(page, 'button.reset-plan');
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).searchParams.get('whatif')).toBeNull();

    // Mark finished: Enter opens the confirmation with focus on its action; Escape cancels and
    // gives focus back; Enter twice marks it finished, and focus lands on the new action.
    await tabTo(page, 'section[aria-label="run actions"] button');
    expect(await describeFocus(page)).toContain('Mark finished');
    await page.keyboard.press('Enter');
    await page.locator('.confirm').waitFor();
    await expect.poll(() => describeFocus(page)).toContain('Mark finished');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.confirm').count()).toBe(0);
    await expect.poll(() => describeFocus(page)).toContain('Mark finished');
    await page.keyboard.press('Enter');
    await page.locator('.confirm').waitFor();
    await expect.poll(() => describeFocus(page)).toContain('Mark finished');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.run-status-value').textContent()).toBe('finished');
    await expect.poll(() => describeFocus(page)).toContain('Mark running');
    // Delete asks first, with focus on Cancel (the safe choice).
    await tabTo(page, 'section[aria-label="run actions"] button.danger');
    await page.keyboard.press('Enter');
    await page.locator('.confirm').waitFor();
    await expect.poll(() => describeFocus(page)).toContain('Cancel');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.confirm').count()).toBe(0);
    await page.screenshot({ path: `${OUT}keyboard-run-page.png`, fullPage: true });
    await page.close();
  });
});
