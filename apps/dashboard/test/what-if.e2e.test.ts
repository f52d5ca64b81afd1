// End-to-end: the what-if panel and the linked LR tooltip on runs whose plan is the exact `segments`
// schedule of a real curve (MPL 100M: stable at 3e-4 to 20k, exponential cooldown to 3e-5 at 24k),
// in real headless Chromium against a real seeded server. Screenshots go to test-output/.
// biome-ignore lint/style/noRestrictedImports: test code writes screenshots.
import { mkdirSync } from 'node:fs';
import type { ScheduleSpec } from '@runcast/core';
import { compileSchedule } from '@runcast/fit';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureDashboardBuilt } from './ensure-dist';
import { launchChromium } from './launch-chromium';
import { readCurve } from './read-curve';
import { describeWithChromium } from './require-chromium';
import { type SeededServer, startSeededServer } from './seed-server';

const OUT = new URL('../test-output/', import.meta.url).pathname;
const CURVE = 'mpl-100M-wsd_20000_24000';
const STABLE = 'exp-plan-stable'; // cut at ~14.4k, before the cooldown
const COOLING = 'exp-plan-cooling'; // cut at ~22k, in its cooldown since 20k

let seeded: SeededServer;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let context: BrowserContext;

async function openRun(name: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${seeded.url}/runs/${seeded.runIds.get(name)}`);
  await page.locator('.what-if .plan-description').waitFor({ timeout: 30_000 });
  return page;
}

/** Every what-if spec the page asks the server for (read from the tRPC GET requests). */
function recordWhatIfs(page: Page): ScheduleSpec[] {
  const specs: ScheduleSpec[] = [];
  const find = (v: unknown): ScheduleSpec | null => {
    if (!v || typeof v !== 'object') return null;
    const o = v as Record<string, unknown>;
    if (o.whatIf && typeof o.whatIf === 'object') return o.whatIf as ScheduleSpec;
    for (const x of Object.values(o)) {
      const hit = find(x);
      if (hit) return hit;
    }
    return null;
  };
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (!url.pathname.includes('forecasts.get')) return;
    const input = url.searchParams.get('input');
    const spec = input ? find(JSON.parse(input)) : null;
    if (spec) specs.push(spec);
  });
  return specs;
}

describeWithChromium('what-if panel and LR tooltip (headless Chromium, real server)', () => {
  const curve = readCurve(CURVE);
  const stepOf = (fraction: number) =>
    curve.points[Math.round(curve.points.length * fraction) - 1]![0];
  const planEta = compileSchedule({
    kind: 'segments',
    total: curve.schedule.total_steps,
    segments: curve.schedule.segments as ScheduleSpec['segments'],
  });

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    ensureDashboardBuilt();
    seeded = await startSeededServer({
      project: 'what-if-e2e',
      runs: [
        { curve: CURVE, name: STABLE, fraction: 0.56, status: 'running', segments: true },
        { curve: CURVE, name: COOLING, fraction: 0.91, status: 'running', segments: true },
      ],
    });
    browser = await launchChromium();
    context = browser.context;
  });

  afterAll(async () => {
    await browser?.close();
    await seeded?.close();
  });

  it('names the real plan and starts from it: exp cooldown from 20k to 3e-5', async () => {
    const page = await openRun(STABLE);
    const asked = recordWhatIfs(page);
    expect(await page.locator('.what-if .plan-description').textContent()).toBe(
      'plan: WSD, exp cooldown from 20k to 3e-5',
    );
    expect(await page.locator('.what-if label:has(input.cooldown-slider)').textContent()).toMatch(
      /^cooldown starts at step 20k/,
    );
    expect(await page.locator('.what-if select').nth(1).inputValue()).toBe('exp');
    // Nothing changed: no what-if is asked for, none is drawn.
    await page.waitForTimeout(800);
    expect(asked).toHaveLength(0);
    expect(await page.locator('.whatif-final').count()).toBe(0);
    await page.close();
  });

  it('keeps the what-if edit in the URL: a reload shows the same what-if', async () => {
    const page = await openRun(STABLE);
    const asked = recordWhatIfs(page);
    // Shorter cooldown (2,000 steps) with a cosine shape.
    await page.getByLabel(/cooldown length/).fill('2000');
    await page.locator('.what-if select').nth(1).selectOption('cosine');
    await expect.poll(() => page.locator('.whatif-final').count(), { timeout: 30_000 }).toBe(1);
    await expect
      .poll(() => new URL(page.url()).searchParams.get('whatif'))
      .toMatch(/^wsd,h24000,c22000,cosine,f0\.00003,at\d+$/);
    const delta = await page.locator('.whatif-delta').textContent();
    const spec = JSON.stringify(asked[asked.length - 1]);

    await page.reload();
    await page.locator('.what-if .plan-description').waitFor({ timeout: 30_000 });
    expect(await page.getByLabel(/cooldown length/).inputValue()).toBe('2000');
    expect(await page.locator('.what-if select').nth(1).inputValue()).toBe('cosine');
    expect(await page.locator('.what-if label:has(input.cooldown-slider)').textContent()).toMatch(
      /^cooldown starts at step 22k/,
    );
    await expect.poll(() => page.locator('.whatif-final').count(), { timeout: 30_000 }).toBe(1);
    expect(await page.locator('.whatif-delta').textContent()).toBe(delta);
    // The same schedule is asked for after the reload.
    expect(JSON.stringify(asked[asked.length - 1])).toBe(spec);

    // Reset to plan clears the URL and the what-if.
    await page.getByRole('button', { name: 'Reset to plan' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('whatif')).toBeNull();
    await expect.poll(() => page.locator('.whatif-final').count()).toBe(0);
    await page.close();
  });

  it('the LR tooltip in the forecast region shows the hovered step and the planned LR there', async () => {
    const page = await openRun(STABLE);
    await page
      .locator('.lr-chart .planned-lr-line path.recharts-curve')
      .first()
      .waitFor({ timeout: 30_000 });
    await page
      .locator('.loss-chart .forecast-line, .loss-chart path.recharts-curve')
      .first()
      .waitFor();
    // Screen x of step 21.8k from two labelled ticks of the loss chart's x-axis.
    const at = await page.evaluate((target) => {
      const ticks = [...document.querySelectorAll('.loss-chart .recharts-xAxis-tick-labels text')]
        .map((t) => {
          const label = t.textContent ?? '';
          const m = /^([\d.]+)(k?)$/.exec(label.replace(/,/g, ''));
          const r = t.getBoundingClientRect();
          return m ? { v: Number(m[1]) * (m[2] ? 1000 : 1), x: r.left + r.width / 2 } : null;
        })
        .filter((t): t is { v: number; x: number } => t !== null);
      const a = ticks[0]!;
      const b = ticks[ticks.length - 1]!;
      const grid = document.querySelector('.loss-chart .recharts-cartesian-grid')!;
      const g = grid.getBoundingClientRect();
      return { x: a.x + ((target - a.v) * (b.x - a.x)) / (b.v - a.v), y: g.top + g.height / 2 };
    }, 21_800);
    await page.mouse.move(at.x, at.y);
    const tip = page.locator('.lr-chart .recharts-tooltip-wrapper');
    await expect.poll(() => tip.textContent(), { timeout: 5000 }).toMatch(/step 21\.[789]k/);
    const text = (await tip.textContent()) ?? '';
    // The plan at 21.8k: 3e-4 x 0.1^(1.8/4) = 1.06e-4 (the old index-synced tooltip said 3e-4).
    const lr = Number(/planned LR\s*:?\s*([\d.]+e-\d+)/.exec(text)?.[1]);
    // Between the plan's LR at 21.7k and at 21.9k (it falls through the cooldown).
    expect(lr).toBeLessThan(planEta[21_701]!);
    expect(lr).toBeGreaterThan(planEta[21_901]!);
    await page.screenshot({ path: `${OUT}what-if-lr-tooltip.png`, fullPage: true });
    await page.close();
  });

  it('a run in its cooldown shows the real cooldown start, and an edit continues it from the current LR', async () => {
    const page = await openRun(COOLING);
    const asked = recordWhatIfs(page);
    const observed = stepOf(0.91);
    expect(await page.locator('.what-if .cooldown-started').textContent()).toMatch(
      /^cooldown started at step 20k \(under way/,
    );
    expect(await page.locator('input.cooldown-slider').count()).toBe(0);
    // Lower the final LR: the rest of the cooldown is recomputed from where the run is.
    const finalLr = page.getByLabel(/final LR/);
    await finalLr.fill('0.00001');
    await expect.poll(() => page.locator('.whatif-final').count(), { timeout: 30_000 }).toBe(1);
    expect(await page.locator('.whatif-delta').textContent()).toMatch(
      /^exp cooldown to 1e-5 instead of exp to 3e-5: final loss [+−]\d/,
    );
    expect(asked.length).toBeGreaterThan(0);
    const spec = asked[asked.length - 1]!;
    const eta = compileSchedule(spec);
    // No LR jump back to the peak: the what-if LR after the last observation is the plan's LR there
    // and only falls from it.
    expect(eta[observed + 1]! / planEta[observed + 1]!).toBeCloseTo(1, 6);
    for (let k = observed + 1; k < eta.length; k++)
      expect(eta[k]!).toBeLessThanOrEqual(planEta[observed + 1]! * (1 + 1e-9));
    expect(eta[eta.length - 1]!).toBeLessThan(planEta[planEta.length - 1]!);
    await page.screenshot({ path: `${OUT}what-if-cooling.png`, fullPage: true });

    // A live point arrives: the charts move on, the panel and the what-if asked for do not.
    const requests = asked.length;
    const next = curve.points[Math.round(curve.points.length * 0.91)]!;
    const res = await fetch(`${seeded.url}/api/v1/push`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${seeded.writeToken}`,
      },
      body: JSON.stringify({
        project: 'what-if-e2e',
        run: COOLING,
        points: [{ step: next[0], metrics: { val_loss: next[1], lr: next[2] } }],
      }),
    });
    expect(res.status).toBe(200);
    await page.waitForFunction(
      (last) =>
        document.querySelector('.run-charts')?.getAttribute('data-last-step') === String(last),
      next[0],
      { timeout: 10_000 },
    );
    await page.waitForTimeout(1000);
    expect(asked.slice(requests).filter((s) => JSON.stringify(s) !== JSON.stringify(spec))).toEqual(
      [],
    );
    expect(await finalLr.inputValue()).toBe('0.00001');
    expect(await page.locator('.what-if .cooldown-started').textContent()).toMatch(/20k/);
    await page.close();
  });
});
