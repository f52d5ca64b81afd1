// End-to-end, second pass (issue 12 items 4-9): a team's store paged and virtualised, run states,
// readable uncertainty, the simulated demo label, narrow screens and a keyboard-only pass, in real
// headless Chromium against a real server. Screenshots go to test-output/.
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
const LIVE = 'live-wsd';
const FINISHED_WSD = 'epfl-ann0.2-openwebtext2-L10H8E512-wsd-linear0.2-lr0.001-T17500';
const SWEEP_RUNS = 240;

let seeded: SeededServer;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let context: BrowserContext;

/** A sweep of small synthetic runs (20 points each) in 6 groups, a third running. */
function sweepPushes() {
  return Array.from({ length: SWEEP_RUNS }, (_, r) => ({
    project: 'sweep',
    run: `sweep-${String(r).padStart(3, '0')}`,
    group: `g${r % 6}`,
    status: r % 3 === 0 ? ('running' as const) : ('finished' as const),
    schedule: { kind: 'cosine' as const, peak: 3e-4, warmup: 10, total: 2000 },
    points: Array.from({ length: 20 }, (_, i) => ({
      step: (i + 1) * 50,
      metrics: { loss: 2.5 + 0.01 * (r % 11) + 2 * ((i + 1) * 50) ** -0.3, lr: 3e-4 },
    })),
  }));
}

/** A run logging more than loss and LR: a gradient norm, an eval loss, a throughput. */
function multiMetricPush() {
  return {
    project: 'e2e',
    run: 'multi-metric',
    status: 'running' as const,
    schedule: { kind: 'cosine' as const, peak: 3e-4, warmup: 10, total: 4000 },
    points: Array.from({ length: 60 }, (_, i) => {
      const step = (i + 1) * 25;
      return {
        step,
        metrics: {
          loss: 2.4 + 2 * step ** -0.3,
          lr: 3e-4,
          grad_norm: 1 + 0.5 * Math.exp(-step / 400),
          ppl: Math.exp(2.5 + 2 * step ** -0.3),
          tokens_per_sec: 50_000 + (i % 5) * 100,
        },
      };
    }),
  };
}

function idOf(name: string): number {
  const id = seeded.runIds.get(name);
  if (id === undefined) throw new Error(`seeded run ${name} missing`);
  return id;
}

async function openPage(path: string, options: { width?: number; token?: boolean } = {}) {
  const page = await context.newPage();
  if (options.width) await page.setViewportSize({ width: options.width, height: 844 });
  if (options.token) {
    await page.addInitScript((t) => localStorage.setItem('runcast-token', t), seeded.writeToken);
  }
  await page.goto(seeded.url + path);
  return page;
}

/** Presses Tab until the focused element matches `selector` (at most `max` presses). */
async function tabTo(page: Page, selector: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

describeWithChromium('dashboard views, second pass (headless Chromium, real server)', () => {
  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    ensureDashboardBuilt();
    seeded = await startSeededServer({
      runs: [
        { curve: WSD_CURVE, name: LIVE, fraction: 0.6, status: 'running' },
        { curve: CONSTANT_CURVE },
        { curve: FINISHED_WSD },
      ],
      pushes: [...sweepPushes(), multiMetricPush()],
      demo: true,
      configs: { 'sweep-000': { lr: 1e-3, layers: 12 }, 'sweep-001': { lr: 3e-4, layers: 24 } },
    });
    browser = await launchChromium();
    context = browser.context;
  });

  afterAll(async () => {
    await browser?.close();
    await seeded?.close();
  });

  it('pages a large store: only rows on screen are drawn, more load on scroll, headers sort', async () => {
    const page = await openPage('/?project=sweep');
    const table = page.locator('.runs-scroll');
    await page
      .locator('table.runs-table tbody tr[data-run-id]')
      .first()
      .waitFor({ timeout: 30_000 });
    expect(await table.getAttribute('data-total')).toBe(String(SWEEP_RUNS));
    expect(await page.locator('.run-total').textContent()).toMatch(/240 runs/);
    const drawn = await page.locator('table.runs-table tbody tr[data-run-id]').count();
    expect(drawn).toBeGreaterThan(5);
    expect(drawn).toBeLessThan(60);
    // forecasts are asked for the rows on screen only
    const asked = new Set<string>();
    page.on('request', (r) => {
      if (r.url().includes('forecasts.get')) asked.add(r.url());
    });
    await table.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await expect
      .poll(async () => Number(await table.getAttribute('data-loaded')), { timeout: 20_000 })
      .toBeGreaterThan(100);
    await table.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await expect
      .poll(async () => Number(await table.getAttribute('data-loaded')), { timeout: 20_000 })
      .toBe(SWEEP_RUNS);
    // click-to-sort: name ascending, then descending
    await page.getByRole('button', { name: 'sort by run' }).click();
    await expect.poll(() => page.url()).toContain('sort=name');
    await expect
      .poll(() => page.locator('a.run-link').first().textContent(), { timeout: 10_000 })
      .toBe('sweep-000');
    await page.getByRole('button', { name: 'sort by run' }).click();
    await expect.poll(() => page.url()).toContain('dir=desc');
    await expect
      .poll(() => page.locator('a.run-link').first().textContent(), { timeout: 10_000 })
      .toBe('sweep-239');
    expect(await page.locator('th[aria-sort="descending"]').count()).toBe(1);
    // the group filter lists each group with its count
    const group = page.locator('.toolbar label', { hasText: 'group' }).locator('select');
    expect(await group.locator('option').allTextContents()).toContain('g1 (40)');
    await group.selectOption('g1');
    await expect.poll(() => table.getAttribute('data-total')).toBe('40');
    // a config column, sortable
    await page
      .locator('.toolbar label', { hasText: 'column' })
      .locator('select')
      .selectOption('layers');
    await expect.poll(() => page.url()).toContain('cols=layers');
    await page.goto(`${seeded.url}/?project=sweep&cols=layers&sort=config.layers&dir=desc`);
    await expect
      .poll(() => page.locator('td.config-value').first().textContent(), { timeout: 10_000 })
      .toBe('24');
    await page.screenshot({ path: `${OUT}runs-table-large.png` });
    await page.close();
  });

  it('finished runs show their result and the forecast they would have had; verdicts only for running runs', async () => {
    const page = await openPage('/?project=e2e');
    const finished = page.locator(`tr[data-run-id="${idOf(CONSTANT_CURVE)}"]`);
    await finished.locator('.final-result').waitFor({ timeout: 30_000 });
    await expect
      .poll(() => finished.locator('.hindsight').textContent(), { timeout: 60_000 })
      .toMatch(/forecast at half-way \d+\.\d+ ± \d/);
    expect(await finished.locator('.badge').count()).toBe(0);
    const live = page.locator(`tr[data-run-id="${idOf(LIVE)}"]`);
    await live.locator('.badge').waitFor({ timeout: 60_000 });
    await page.close();
  });

  it('the run page reads the forecast in plain words, explains the model, and shows distinct 80%/95% bands', async () => {
    const page = await openPage(`/runs/${idOf(LIVE)}`);
    const reading = page.locator('.plain-reading');
    await reading.waitFor({ timeout: 60_000 });
    expect(await reading.textContent()).toMatch(
      /^80% chance the final loss is between \d+\.\d+ and \d+\.\d+ at step/,
    );
    expect(await page.locator('.model-gloss').first().textContent()).toMatch(/law/);
    expect(await page.title()).toBe(`${LIVE} · Runcast`);
    const legend = page.locator('.run-charts .legend');
    expect(await legend.textContent()).toMatch(/80%.*95%/);
    const fills = await page
      .locator(
        '.loss-chart .band80 path.recharts-area-area, .loss-chart .band95 path.recharts-area-area',
      )
      .evaluateAll((paths) => paths.map((p) => getComputedStyle(p).fill));
    expect(new Set(fills).size).toBe(2);
    await page.screenshot({ path: `${OUT}run-page-bands.png`, fullPage: true });
    await page.close();
  });

  it('zooms by dragging across the loss chart; the LR chart follows; reset restores', async () => {
    const page = await openPage(`/runs/${idOf(LIVE)}`);
    await page
      .locator('.loss-chart .val-line path.recharts-curve')
      .first()
      .waitFor({ timeout: 30_000 });
    await page.locator('.lr-chart path.recharts-curve').first().waitFor({ timeout: 30_000 });
    const lrTicks = () =>
      page.locator('.lr-chart .recharts-xAxis-tick-labels tspan').allTextContents();
    const before = await lrTicks();
    const box = (await page.locator('.loss-chart svg.recharts-surface').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.5, { steps: 6 });
    await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.5, { steps: 6 });
    await page.mouse.up();
    const charts = page.locator('.run-charts');
    await expect.poll(() => charts.getAttribute('data-zoom'), { timeout: 5000 }).toMatch(/^\d/);
    const [from, to] = (await charts.getAttribute('data-zoom'))!.split(',').map(Number);
    expect(to! - from!).toBeGreaterThan(0);
    await expect.poll(lrTicks).not.toEqual(before);
    const lossTicks = await page
      .locator('.loss-chart .recharts-xAxis-tick-labels tspan')
      .allTextContents();
    expect(await lrTicks()).toEqual(lossTicks);
    await page.screenshot({ path: `${OUT}run-page-zoom.png`, fullPage: true });
    await page.getByRole('button', { name: 'Reset zoom' }).click();
    await expect.poll(() => charts.getAttribute('data-zoom')).toBeNull();
    await expect.poll(lrTicks).toEqual(before);
    await page.close();
  });

  it('draws every other metric as a small chart (hide/show in the URL, forecast on request); downloads CSV and PNG', async () => {
    const page = await openPage(`/runs/${idOf('multi-metric')}`);
    const panels = page.locator('section[aria-label="other metrics"]');
    await panels
      .locator('figure[data-metric="grad_norm"] .metric-line path.recharts-curve')
      .waitFor({ timeout: 30_000 });
    expect(await panels.locator('figure[data-metric]').count()).toBe(3);
    await panels.getByLabel('tokens_per_sec').uncheck();
    await expect.poll(() => page.url()).toContain('mhide=tokens_per_sec');
    await expect.poll(() => panels.locator('figure[data-metric]').count()).toBe(2);
    await panels
      .locator('figure[data-metric="ppl"]')
      .getByRole('button', { name: 'forecast' })
      .click();
    await panels
      .locator('figure[data-metric="ppl"] .metric-forecast-line path.recharts-curve')
      .waitFor({ timeout: 60_000 });
    expect(await panels.locator('figure[data-metric="grad_norm"] button').count()).toBe(0);
    await page.reload();
    await panels.locator('figure[data-metric="grad_norm"]').waitFor({ timeout: 30_000 });
    expect(await panels.locator('figure[data-metric="tokens_per_sec"]').count()).toBe(0);
    // downloads
    await page.locator('.loss-chart path.recharts-curve').first().waitFor({ timeout: 30_000 });
    const head = page.locator('.chart-head').first();
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      head.getByRole('button', { name: 'CSV' }).click(),
    ]);
    expect(csv.suggestedFilename()).toBe('multi-metric-loss.csv');
    const text = await (await import('node:fs/promises')).readFile((await csv.path())!, 'utf8');
    expect(text.split('\n')[0]).toMatch(/^step,/);
    expect(text.split('\n').length).toBeGreaterThan(50);
    const [png] = await Promise.all([
      page.waitForEvent('download'),
      head.getByRole('button', { name: 'PNG' }).click(),
    ]);
    expect(png.suggestedFilename()).toBe('multi-metric-loss.png');
    const bytes = await (await import('node:fs/promises')).readFile((await png.path())!);
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(bytes.length).toBeGreaterThan(2000);
    await page.screenshot({ path: `${OUT}run-page-metrics.png`, fullPage: true });
    await page.close();
  });

  it('compare keeps hidden runs in the URL and summarises seed groups', async () => {
    const ids = [idOf(LIVE), idOf(CONSTANT_CURVE), idOf(FINISHED_WSD)];
    const page = await openPage(`/compare?runs=${ids.join(',')}`);
    await page
      .locator('.overlay-chart .run-line path.recharts-curve')
      .nth(2)
      .waitFor({ timeout: 30_000 });
    await page.locator(`.run-legend button[data-run-id="${ids[1]}"]`).click();
    await expect.poll(() => page.url()).toContain(`hide=${ids[1]}`);
    await page.reload();
    await page
      .locator('.overlay-chart .run-line path.recharts-curve')
      .nth(1)
      .waitFor({ timeout: 30_000 });
    expect(await page.locator('.overlay-chart .run-line path.recharts-curve').count()).toBe(2);
    expect(
      await page
        .locator(`.run-legend button[data-run-id="${ids[1]}"]`)
        .getAttribute('aria-pressed'),
    ).toBe('false');
    // the live WSD run and the finished one share a group: mean ± sd of their finals
    await expect
      .poll(() => page.locator('.seed-groups .group-mean').first().textContent(), {
        timeout: 60_000,
      })
      .toMatch(/^\d+\.\d+ ± \d/);
    expect(await page.title()).toBe('Compare 3 runs · Runcast');
    await page.close();
  });

  it('a run is marked finished from its page (with confirmation); its verdict badge goes', async () => {
    const page = await openPage(`/runs/${idOf(LIVE)}`, { token: true });
    const actions = page.locator('section[aria-label="run actions"]');
    await actions.waitFor({ timeout: 30_000 });
    await actions.getByRole('button', { name: 'Mark finished' }).click();
    await actions.getByRole('group', { name: 'confirm status change' }).waitFor();
    await actions.getByRole('button', { name: 'Mark finished' }).click();
    await expect
      .poll(() => actions.locator('.run-status-value').textContent(), { timeout: 10_000 })
      .toBe('finished');
    expect(await actions.textContent()).toContain('set by you');
    await page.locator('.run-result .final-result').waitFor({ timeout: 30_000 });
    await page.goto(`${seeded.url}/?project=e2e`);
    const row = page.locator(`tr[data-run-id="${idOf(LIVE)}"]`);
    await row.locator('.final-result').waitFor({ timeout: 30_000 });
    expect(await row.locator('.badge').count()).toBe(0);
    // back to running for the other tests
    await page.goto(`${seeded.url}/runs/${idOf(LIVE)}`);
    await actions.getByRole('button', { name: 'Mark running' }).click();
    await actions.getByRole('button', { name: 'Mark running' }).click();
    await expect
      .poll(() => actions.locator('.run-status-value').textContent(), { timeout: 10_000 })
      .toBe('running');
    await page.close();
  });

  it('says "simulated demo" wherever demo runs appear', async () => {
    const page = await openPage('/?project=demo');
    await page.locator('.simulated-tag').first().waitFor({ timeout: 30_000 });
    const demoIds = await page
      .locator('table.runs-table tbody tr[data-run-id]')
      .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-run-id'))));
    expect(demoIds.length).toBeGreaterThanOrEqual(2);
    await page.goto(`${seeded.url}/runs/${demoIds[0]}`);
    await expect
      .poll(() => page.locator('.simulated-note').textContent(), { timeout: 30_000 })
      .toMatch(/simulated demo/);
    await page.goto(`${seeded.url}/compare?runs=${demoIds.slice(0, 2).join(',')}`);
    await expect
      .poll(() => page.locator('.simulated-note').textContent(), { timeout: 30_000 })
      .toMatch(/simulated demo/);
    await page.close();
  });

  it('at 390 px the runs table shows name, status, forecast and verdict without sideways scrolling', async () => {
    const page = await openPage('/?project=e2e', { width: 390 });
    const row = page.locator(`tr[data-run-id="${idOf(LIVE)}"]`);
    await row.locator('.badge').waitFor({ timeout: 60_000 });
    for (const cell of ['a.run-link', '.status', '.forecast-final', '.badge']) {
      expect(await row.locator(cell).isVisible()).toBe(true);
    }
    await page.screenshot({ path: `${OUT}runs-table-390.png`, fullPage: true });
    const overflow = await page.evaluate(() => {
      const box = document.querySelector('.runs-scroll')!;
      return {
        box: box.scrollWidth - box.clientWidth,
        page: document.documentElement.scrollWidth - window.innerWidth,
      };
    });
    expect(overflow.box).toBeLessThanOrEqual(1);
    expect(overflow.page).toBeLessThanOrEqual(1);
    const ids = [idOf(LIVE), idOf(CONSTANT_CURVE), idOf(FINISHED_WSD)];
    await page.goto(`${seeded.url}/compare?runs=${ids.join(',')}`);
    await page.locator('table.matrix td').first().waitFor({ timeout: 60_000 });
    // legend entries and matrix headers are not cut: each fits its box or wraps
    const cut = await page.evaluate(
      () =>
        [...document.querySelectorAll('.run-legend button, .matrix th')].filter(
          (el) => el.scrollWidth > el.clientWidth + 1,
        ).length,
    );
    expect(cut).toBe(0);
    const compareOverflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(compareOverflow).toBeLessThanOrEqual(1);
    await page.screenshot({ path: `${OUT}compare-390.png`, fullPage: true });
    await page.close();
  });

  it('keyboard only: sorts and selects on the runs page, opens a run, hides a compared run', async () => {
    const page = await openPage('/?project=e2e');
    await page
      .locator('table.runs-table tbody tr[data-run-id]')
      .first()
      .waitFor({ timeout: 30_000 });
    await tabTo(page, 'button.sort-header');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url()).toContain('sort=name');
    await tabTo(page, `tr[data-run-id="${idOf(LIVE)}"] input[type="checkbox"]`);
    await page.keyboard.press('Space');
    await tabTo(page, `tr[data-run-id="${idOf(CONSTANT_CURVE)}"] input[type="checkbox"]`);
    await page.keyboard.press('Space');
    await tabTo(page, 'button.primary');
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/compare');
    await page.locator('.run-legend button').first().waitFor({ timeout: 30_000 });
    await tabTo(page, '.run-legend button');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('.run-legend button[aria-pressed="false"]').count())
      .toBe(1);
    expect(await page.title()).toMatch(/^Compare .* · Runcast$/);
    await page.goto(`${seeded.url}/?project=e2e`);
    await page.locator('a.run-link').first().waitFor({ timeout: 30_000 });
    await tabTo(page, 'a.run-link');
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).pathname).toMatch(/^\/runs\/\d+$/);
    await page.locator('section[aria-label="run actions"]').waitFor({ timeout: 30_000 });
    await tabTo(page, 'section[aria-label="run actions"] button');
    await page.keyboard.press('Enter');
    await page.locator('.confirm').waitFor();
    await tabTo(page, '.confirm button:not(.primary):not(.danger)');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.confirm').count()).toBe(0);
    await page.close();
  });
});
