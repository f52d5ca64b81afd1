// End-to-end: the built dashboard in real headless Chromium against a real `runcast serve`
// (createServer) seeded with real curves from ../shared/data. Screenshots go to test-output/.
// biome-ignore lint/style/noRestrictedImports: test code writes screenshots.
import { mkdirSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureDashboardBuilt } from './ensure-dist';
import { launchChromium } from './launch-chromium';
import { CONSTANT_CURVE, readCurve, WSD_CURVE } from './read-curve';
import { describeWithChromium } from './require-chromium';
import { type SeededServer, startSeededServer } from './seed-server';

const OUT = new URL('../test-output/', import.meta.url).pathname;
const LIVE = 'live-wsd';
const FINISHED_WSD = 'epfl-ann0.2-openwebtext2-L10H8E512-wsd-linear0.2-lr0.001-T17500';

let seeded: SeededServer;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let context: BrowserContext;

async function openPage(path: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(seeded.url + path);
  return page;
}

/** Tick values: at least 3, evenly spaced by 1, 2 or 5 x 10^k, printed with the step's decimals. */
function expectNiceTicks(labels: string[]): void {
  const values = labels.map(Number);
  expect(values.length).toBeGreaterThanOrEqual(3);
  const sorted = [...values].sort((a, b) => a - b);
  const step = sorted[1]! - sorted[0]!;
  for (let i = 1; i < sorted.length; i++) expect(sorted[i]! - sorted[i - 1]!).toBeCloseTo(step, 9);
  const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
  expect([1, 2, 5, 10].some((m) => Math.abs(mantissa - m) < 1e-6)).toBe(true);
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  for (const label of labels) expect(label.split('.')[1]?.length ?? 0).toBe(decimals);
}

/** Pushes one point of the live run (step, val loss, LR) over HTTP with the server's write token. */
function pushLivePoint(
  server: { url: string; writeToken: string },
  point: readonly [number, number, number],
): Promise<Response> {
  return fetch(`${server.url}/api/v1/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.writeToken}` },
    body: JSON.stringify({
      project: 'e2e',
      run: LIVE,
      points: [{ step: point[0], metrics: { val_loss: point[1], lr: point[2] } }],
    }),
  });
}

/** Waits until the run page's charts end at `step` (their data-last-step attribute). */
async function waitForLastStep(page: Page, step: number, timeout: number): Promise<void> {
  await page.waitForFunction(
    (last) =>
      document.querySelector('.run-charts')?.getAttribute('data-last-step') === String(last),
    step,
    { timeout },
  );
}

function idOf(name: string): number {
  const id = seeded.runIds.get(name);
  if (id === undefined) throw new Error(`seeded run ${name} missing`);
  return id;
}

describeWithChromium('dashboard end to end (headless Chromium, real server)', () => {
  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    ensureDashboardBuilt();
    seeded = await startSeededServer({
      runs: [
        { curve: WSD_CURVE, name: LIVE, fraction: 0.6, status: 'running' },
        { curve: CONSTANT_CURVE },
        { curve: FINISHED_WSD },
        { curve: 'mpl-100M-constant_72000', limit: 1, name: 'one-point' },
        { curve: 'mpl-25M-cosine_24000', name: 'no-loss', metricKey: 'accuracy' },
      ],
    });
    browser = await launchChromium();
    context = browser.context;
  });

  afterAll(async () => {
    await browser?.close();
    await seeded?.close();
  });

  it('the runs table lists the seeded runs with their forecasts', async () => {
    const page = await openPage('/');
    await page.waitForSelector('table.runs-table tbody tr');
    expect(await page.locator('table.runs-table tbody tr').count()).toBe(5);
    const liveRow = page.locator(`tr[data-run-id="${idOf(LIVE)}"]`);
    await expect
      .poll(() => liveRow.locator('.forecast-final').textContent(), { timeout: 30_000 })
      .toMatch(/^\d+\.\d+ ± \d/);
    expect(await liveRow.locator('.status-running').count()).toBe(1);
    const finishedRow = page.locator(`tr[data-run-id="${idOf(CONSTANT_CURVE)}"]`);
    await expect
      .poll(() => finishedRow.locator('.forecast-final').textContent(), { timeout: 30_000 })
      .toMatch(/±/);
    await expect.poll(() => page.locator('.badge').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    // The forecast column's header says whether the store's backtests calibrated the bands.
    const header = page.locator('th.forecast-header');
    await header.locator('.calibration-note').waitFor({ timeout: 30_000 });
    expect(await header.getAttribute('title')).toMatch(
      /^bands (calibrated on \d+ backtests? of \d+ finished runs?|uncalibrated \(.+\))$/,
    );
    expect(await finishedRow.locator('.forecast-final').getAttribute('title')).toMatch(
      /^\w[\w-]* · bands (calibrated|uncalibrated)/,
    );
    await page.screenshot({ path: `${OUT}runs-table.png`, fullPage: true });
    await page.close();
  });

  it('the run page draws the loss line, the forecast line and its bands', async () => {
    const page = await openPage(`/runs/${idOf(LIVE)}`);
    const curve = page.locator('.loss-chart .val-line path.recharts-curve');
    await curve.first().waitFor({ timeout: 30_000 });
    expect((await curve.first().getAttribute('d'))?.length ?? 0).toBeGreaterThan(100);
    const forecast = page.locator('.loss-chart .forecast-line path.recharts-curve');
    await forecast.first().waitFor({ timeout: 30_000 });
    expect((await forecast.first().getAttribute('d'))?.length ?? 0).toBeGreaterThan(20);
    for (const band of ['band80', 'band95']) {
      const area = page.locator(`.loss-chart .${band} path.recharts-area-area`);
      await area.first().waitFor({ state: 'attached', timeout: 10_000 });
      expect((await area.first().getAttribute('d'))?.length ?? 0).toBeGreaterThan(20);
    }
    await page.locator('.lr-chart path.recharts-curve').first().waitFor({ timeout: 10_000 });
    // Next to the model name: whether the bands were calibrated, and on what.
    const note = page.locator('.forecast-calibration');
    await note.waitFor({ timeout: 30_000 });
    const calibrated = (await note.getAttribute('data-calibrated')) === 'true';
    expect(await note.textContent()).toMatch(
      calibrated
        ? /^bands calibrated on \d+ backtests? of \d+ finished runs?$/
        : /^bands uncalibrated \(.+\)$/,
    );
    // y ticks: evenly spaced round numbers (1/2/5 x 10^k) with the decimals the step needs
    const yLabels = await page
      .locator('.loss-chart .recharts-yAxis-tick-labels tspan')
      .allTextContents();
    expectNiceTicks(yLabels);
    const lrLabels = await page
      .locator('.lr-chart .recharts-yAxis-tick-labels tspan')
      .allTextContents();
    for (const label of lrLabels) expect(label).toMatch(/^(0|\d(\.\d+)?e-\d+)$/);
    await page.screenshot({ path: `${OUT}run-page.png`, fullPage: true });
    await page.close();
  });

  it('moving the what-if cooldown slider changes the predicted final loss', async () => {
    const page = await openPage(`/runs/${idOf(LIVE)}`);
    const slider = page.locator('input.cooldown-slider');
    await slider.waitFor({ timeout: 30_000 });
    await slider.focus();
    await page.keyboard.press('Home');
    const first = page.locator('.whatif-final');
    await expect.poll(() => first.count(), { timeout: 30_000 }).toBe(1);
    const early = await first.textContent();
    await expect(page.locator('.whatif-delta').textContent()).resolves.toMatch(
      /^cooling down at .+ instead of .+: final loss [+−]\d/,
    );
    await page.keyboard.press('End');
    await expect
      .poll(() => page.locator('.whatif-final').textContent(), { timeout: 30_000 })
      .not.toBe(early);
    expect(await page.locator('.loss-chart .whatif-line path.recharts-curve').count()).toBe(1);
    // the slider's end keeps a real cooldown (>= 1% of the horizon), shown as a share too
    const numbers = page.locator('.what-if input[type="number"]');
    const horizon = Number(await numbers.nth(0).inputValue());
    const length = Number(await numbers.nth(1).inputValue());
    expect(length).toBeGreaterThanOrEqual(horizon * 0.01);
    expect(await page.locator('.cooldown-share').textContent()).toMatch(
      /^= last \d+(\.\d)?% of \S+$/,
    );
    await page.screenshot({ path: `${OUT}what-if.png`, fullPage: true });
    await page.close();
  });

  it('a point pushed over HTTP appears on the open run page within 2 s', async () => {
    const page = await openPage(`/runs/${idOf(LIVE)}`);
    const charts = page.locator('.run-charts[data-last-step]');
    await charts.waitFor({ timeout: 30_000 });
    await page.locator('.loss-chart .val-line path.recharts-curve').first().waitFor();
    const before = Number(await charts.getAttribute('data-last-step'));
    const curve = readCurve(WSD_CURVE);
    const next = curve.points.find(([step]) => step > before)!;
    // the live subscription is connected before the push
    await page.locator('.live-indicator.live-pending').waitFor({ timeout: 10_000 });
    const seriesRequests: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('series.points')) seriesRequests.push(r.url());
    });
    const t0 = Date.now();
    const response = await pushLivePoint(seeded, next);
    expect(response.status).toBe(200);
    await waitForLastStep(page, next[0], 2000);
    const elapsed = Date.now() - t0;
    expect(elapsed).toBeLessThan(2000);
    // appended from the event to the cached series: no series was fetched again
    expect(seriesRequests).toEqual([]);
    // the server's forecast hint refreshes the forecast from the new last step
    await page.waitForFunction(
      (step) =>
        document.querySelector('.run-page')?.getAttribute('data-forecast-until') === String(step),
      next[0],
      { timeout: 15_000 },
    );
    await page.screenshot({ path: `${OUT}live-point.png`, fullPage: true });
    await page.close();
  });

  it('an unknown run id shows the server message', async () => {
    const page = await openPage('/runs/99999');
    const box = page.locator('.error-box');
    await box.waitFor({ timeout: 10_000 });
    expect(await box.getAttribute('data-code')).toBe('NOT_FOUND');
    expect(await box.locator('.error-message').textContent()).toMatch(/99999/);
    await page.screenshot({ path: `${OUT}unknown-run.png` });
    await page.close();
  });

  it('a run with no loss series says so and draws no forecast', async () => {
    const page = await openPage(`/runs/${idOf('no-loss')}`);
    await page.locator('[data-code="NO_LOSS_SERIES"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-code="NO_LOSS_SERIES"]').textContent()).toMatch(/accuracy/);
    expect(await page.locator('.forecast-line').count()).toBe(0);
    await page.screenshot({ path: `${OUT}no-loss-run.png` });
    await page.close();
  });

  it("a 1-point run draws its point and shows the forecast's error from the server", async () => {
    const page = await openPage(`/runs/${idOf('one-point')}`);
    await page.locator('.loss-chart .recharts-line-dot').first().waitFor({ timeout: 10_000 });
    const box = page.locator('.error-box', { hasText: 'forecast' });
    await box.waitFor({ timeout: 30_000 });
    expect((await box.locator('.error-message').textContent())?.length ?? 0).toBeGreaterThan(5);
    await page.screenshot({ path: `${OUT}one-point-run.png` });
    await page.close();
  });

  it('compare overlays the runs and shows the verdict matrix and backtests', async () => {
    const ids = [idOf(LIVE), idOf(CONSTANT_CURVE), idOf(FINISHED_WSD)];
    const page = await openPage(`/compare?runs=${ids.join(',')}`);
    await page
      .locator('.overlay-chart .run-line path.recharts-curve')
      .nth(2)
      .waitFor({ timeout: 30_000 });
    await page.locator('table.matrix td').first().waitFor({ timeout: 60_000 });
    expect(await page.locator('table.matrix tbody tr').count()).toBe(3);
    await page.locator('.backtest-view tbody tr').first().waitFor({ timeout: 60_000 });
    // hovering a legend entry highlights that run: the others' lines fade
    await page.locator(`.run-legend button[data-run-id="${ids[1]}"]`).hover();
    const opacities = await page
      .locator('.overlay-chart .run-line path.recharts-curve')
      .evaluateAll((paths) => paths.map((p) => Number(p.getAttribute('stroke-opacity') ?? '1')));
    expect(opacities.filter((o) => o < 0.5)).toHaveLength(2);
    // the tooltip lists the runs at the hovered step, lowest loss first
    const svg = page.locator('.overlay-chart svg.recharts-surface');
    const box = (await svg.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
    const values = page.locator('.overlay-tooltip td.num');
    await expect.poll(() => values.count(), { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    const shown = (await values.allTextContents()).map(Number);
    expect(shown).toEqual([...shown].sort((a, b) => a - b));
    // the run page's smoothing applies here too
    await page.locator('.toolbar select').first().selectOption('ema');
    await expect.poll(() => page.url()).toContain('smooth=ema');
    await expect
      .poll(() => page.locator('.overlay-chart .run-smooth-line path.recharts-curve').count())
      .toBe(3);
    await page.screenshot({ path: `${OUT}compare.png`, fullPage: true });
    await page.close();
  });

  it('compare stays readable with 10 runs: a legend list and a tooltip of the 8 nearest runs', async () => {
    // ten runs logged over the same steps (2176 to about 8.6k), so all ten exist at any hovered step
    const curves = [
      ['mpl-25M-constant_24000', 0.3],
      ['mpl-25M-cosine_24000', 0.3],
      ['mpl-25M-wsd_20000_24000', 0.3],
      ['mpl-25M-wsdld_20000_24000', 0.3],
      ['mpl-100M-cosine_24000', 0.3],
      ['mpl-100M-wsd_20000_24000', 0.3],
      ['mpl-100M-wsdld_20000_24000', 0.3],
      ['mpl-100M-constant_24000', 0.3],
      ['mpl-25M-constant_72000', 0.1],
      ['mpl-100M-constant_72000', 0.1],
    ] as const;
    const many = await startSeededServer({
      runs: curves.map(([curve, fraction]) => ({ curve, fraction, status: 'running' as const })),
    });
    try {
      const ids = curves.map(([c]) => many.runIds.get(c)!);
      const page = await context.newPage();
      await page.goto(`${many.url}/compare?runs=${ids.join(',')}&forecast=0`);
      await page
        .locator('.overlay-chart .run-line path.recharts-curve')
        .nth(9)
        .waitFor({ timeout: 30_000 });
      expect(await page.locator('.run-legend button').count()).toBe(10);
      const svg = page.locator('.overlay-chart svg.recharts-surface');
      const box = (await svg.boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5);
      const rows = page.locator('.overlay-tooltip tbody tr');
      await expect.poll(() => rows.count(), { timeout: 5000 }).toBe(8);
      await expect
        .poll(() => page.locator('.overlay-tooltip-more').textContent(), { timeout: 5000 })
        .toMatch(/^\+2 more runs/);
      // hiding a run from the legend removes its line
      await page.locator(`.run-legend button[data-run-id="${ids[0]}"]`).click();
      await expect
        .poll(() => page.locator('.overlay-chart .run-line path.recharts-curve').count())
        .toBe(9);
      await page.screenshot({ path: `${OUT}compare-many.png`, fullPage: true });
      await page.close();
    } finally {
      await many.close();
    }
  });

  it('a server that went away is reported as such', async () => {
    const other = await startSeededServer({ runs: [{ curve: CONSTANT_CURVE }] });
    const page = await context.newPage();
    await page.goto(`${other.url}/runs/${other.runIds.get(CONSTANT_CURVE)}`);
    await page.locator('.loss-chart').waitFor({ timeout: 30_000 });
    await other.close();
    await page.locator('a', { hasText: '← runs' }).click();
    const box = page.locator('.error-box[data-code="UNREACHABLE"]');
    await box.waitFor({ timeout: 15_000 });
    expect(await box.textContent()).toMatch(/Cannot reach the Runcast server/);
    await page.screenshot({ path: `${OUT}server-down.png` });
    await page.close();
  });

  it('filters and search live in the URL; selected runs open the comparison', async () => {
    const page = await openPage('/');
    await page.waitForSelector('table.runs-table tbody tr');
    await page.keyboard.press('/');
    await page.keyboard.type('constant');
    await expect.poll(() => page.url()).toContain('q=constant');
    await expect
      .poll(() => page.locator('table.runs-table tbody tr').count(), { timeout: 10_000 })
      .toBe(1);
    expect(await page.locator('a.run-link').first().textContent()).toContain('constant');
    await page.goto(`${seeded.url}/?status=running`);
    await expect
      .poll(() => page.locator('a.run-link').allTextContents(), { timeout: 10_000 })
      .toEqual([LIVE]);
    await page.goto(`${seeded.url}/`);
    await page.waitForSelector('table.runs-table tbody tr');
    for (const name of [LIVE, CONSTANT_CURVE]) {
      await page.locator(`tr[data-run-id="${idOf(name)}"] input[type="checkbox"]`).check();
    }
    await page.getByRole('button', { name: /Compare/ }).click();
    await expect
      .poll(() => new URL(page.url()).pathname + new URL(page.url()).search)
      .toBe(`/compare?runs=${idOf(LIVE)},${idOf(CONSTANT_CURVE)}`);
    await page.locator('.overlay-chart .run-line path.recharts-curve').nth(1).waitFor();
    await page.close();
  });

  it('hovering the loss chart shows exact values; the dark theme applies', async () => {
    const page = await openPage(`/runs/${idOf(CONSTANT_CURVE)}?smooth=ema`);
    const svg = page.locator('.loss-chart svg.recharts-surface');
    await page
      .locator('.loss-chart .val-line path.recharts-curve')
      .first()
      .waitFor({ timeout: 30_000 });
    const box = (await svg.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    const tooltip = page.locator('.loss-chart .recharts-tooltip-wrapper');
    await expect
      .poll(() => tooltip.textContent(), { timeout: 5000 })
      .toMatch(/val loss.*\d\.\d{4}/);
    expect(await page.locator('.loss-chart .val-smooth-line path.recharts-curve').count()).toBe(1);
    await page.getByRole('button', { name: /dark theme/ }).click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.screenshot({ path: `${OUT}run-page-dark.png`, fullPage: true });
    await page.getByRole('button', { name: /light theme/ }).click();
    await page.close();
  });

  it('notes, tags and the declared schedule are saved through runs.update with a write token', async () => {
    const page = await context.newPage();
    await page.addInitScript(
      (token) => localStorage.setItem('runcast-token', token),
      seeded.writeToken,
    );
    await page.goto(`${seeded.url}/runs/${idOf(FINISHED_WSD)}`);
    const details = page.locator('section[aria-label="run details"]');
    await details.waitFor({ timeout: 30_000 });
    const schedule = details.locator('textarea').nth(1);
    await schedule.fill('{"kind": "wsd"}');
    await expect.poll(() => details.locator('.error-message').textContent()).toMatch(/peak/);
    await schedule.fill(
      JSON.stringify({
        kind: 'wsd',
        peak: 0.001,
        warmup: 300,
        total: 17500,
        decay: 3500,
        final: 0,
      }),
    );
    await details.locator('input').first().fill('baseline, e2e');
    await details.locator('textarea').first().fill('saved by the e2e test');
    await details.getByRole('button', { name: 'Save' }).click();
    await details.getByText('saved', { exact: true }).waitFor({ timeout: 10_000 });
    await page.reload();
    await expect
      .poll(() => page.locator('section[aria-label="run details"] textarea').first().inputValue(), {
        timeout: 10_000,
      })
      .toBe('saved by the e2e test');
    await page.goto(`${seeded.url}/?tag=e2e`);
    await expect
      .poll(() => page.locator('a.run-link').allTextContents(), { timeout: 10_000 })
      .toEqual([FINISHED_WSD]);
    await page.close();
  });

  it('a server that needs read tokens: the dashboard asks for one, then reads and live updates carry it', async () => {
    // Bound to 0.0.0.0 without publicRead: reads need a token (header or ?token= on GET).
    const guarded = await startSeededServer({
      runs: [{ curve: WSD_CURVE, name: LIVE, fraction: 0.5, status: 'running' }],
      host: '0.0.0.0',
    });
    try {
      const runId = guarded.runIds.get(LIVE)!;
      const page = await context.newPage();
      const subscriptionUrls: string[] = [];
      page.on('request', (r) => {
        if (r.url().includes('live.events')) subscriptionUrls.push(r.url());
      });
      await page.goto(`${guarded.url}/runs/${runId}`);
      const box = page.locator('.error-box[data-code="UNAUTHORIZED"]');
      await box.waitFor({ timeout: 15_000 });
      await page.screenshot({ path: `${OUT}read-token-asked.png` });
      const form = box.locator('form.read-token-form').first();
      await form.locator('input[name="read-token"]').fill(guarded.readToken);
      await form.getByRole('button', { name: 'Use token' }).click();
      await page
        .locator('.loss-chart .val-line path.recharts-curve')
        .first()
        .waitFor({ timeout: 30_000 });
      await page.locator('.live-indicator.live-pending').waitFor({ timeout: 15_000 });
      expect(subscriptionUrls.some((u) => u.includes(`token=${guarded.readToken}`))).toBe(true);
      const charts = page.locator('.run-charts[data-last-step]');
      const before = Number(await charts.getAttribute('data-last-step'));
      const next = readCurve(WSD_CURVE).points.find(([step]) => step > before)!;
      const response = await pushLivePoint(guarded, next);
      expect(response.status).toBe(200);
      await waitForLastStep(page, next[0], 5000);
      await page.screenshot({ path: `${OUT}read-token.png` });
      await page.close();
    } finally {
      await guarded.close();
    }
  });

  it('an empty store shows the one command to ingest logs', async () => {
    const empty = await startSeededServer({ runs: [] });
    const page = await context.newPage();
    await page.goto(empty.url);
    const state = page.locator('.empty-state');
    await state.waitFor({ timeout: 10_000 });
    expect(await state.textContent()).toContain('pnpm runcast ingest');
    await page.screenshot({ path: `${OUT}empty-state.png` });
    await page.close();
    await empty.close();
  });

  it('is keyboard-friendly: a run opens from the keyboard and the what-if slider moves with keys', async () => {
    const page = await openPage('/');
    await page.waitForSelector('a.run-link');
    const link = page.locator(`tr[data-run-id="${idOf(LIVE)}"] a.run-link`);
    await link.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/runs/${idOf(LIVE)}`);
    const slider = page.locator('input.cooldown-slider');
    await slider.waitFor({ timeout: 30_000 });
    const before = Number(await slider.inputValue());
    await slider.focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    expect(Number(await slider.inputValue())).toBeLessThan(before);
    await page.goBack();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/');
    await page.close();
  });

  it('switches the x-axis to tokens and relative time, log scales, and keeps them in the URL', async () => {
    const page = await openPage(`/runs/${idOf(LIVE)}`);
    await page
      .locator('.loss-chart .val-line path.recharts-curve')
      .first()
      .waitFor({ timeout: 30_000 });
    const axis = page.locator('select').first();
    const ticks = () =>
      page.locator('.loss-chart .recharts-xAxis-tick-labels tspan').allTextContents();
    await axis.selectOption('tokens');
    await expect.poll(() => page.url()).toContain('x=tokens');
    await expect
      .poll(async () => (await ticks()).join(' '), { timeout: 5000 })
      .toMatch(/\d(M|B)\b/);
    await axis.selectOption('relative');
    await expect
      .poll(async () => (await ticks()).join(' '), { timeout: 5000 })
      .toMatch(/\d (s|min|h)\b/);
    await page.getByLabel('log x').check();
    await page.getByLabel('log y').check();
    await expect.poll(() => page.url()).toMatch(/logx=1.*logy=1|logy=1.*logx=1/);
    await page.reload();
    await page
      .locator('.loss-chart .val-line path.recharts-curve')
      .first()
      .waitFor({ timeout: 30_000 });
    expect(await page.locator('select').first().inputValue()).toBe('relative');
    expect(await page.getByLabel('log x').isChecked()).toBe(true);
    const logLabels = await page
      .locator('.loss-chart .recharts-yAxis-tick-labels tspan')
      .allTextContents();
    expect(logLabels.length).toBeGreaterThanOrEqual(3);
    for (const label of logLabels) expect(label).toMatch(/^\d+(\.\d{1,2})?$/);
    await page.screenshot({ path: `${OUT}run-page-relative-log.png`, fullPage: true });
    await page.close();
  });
});
