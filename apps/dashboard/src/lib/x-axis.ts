import { formatDuration, formatSteps } from './format';

export type XMode = 'step' | 'tokens' | 'wall' | 'relative';
export type TickStyle = 'count' | 'elapsed' | 'clock';

export const X_MODES: readonly XMode[] = ['step', 'tokens', 'wall', 'relative'];

export interface XAxisMap {
  mode: XMode;
  label: string;
  /** Maps an optimizer step to the x value; extrapolates wall time past the last logged point. */
  toX: (step: number) => number;
  formatTick: (x: number) => string;
  /** How round ticks are chosen: 1/2/5 x 10^k counts, elapsed durations (x in hours), clock times (x in ms). */
  tickStyle: TickStyle;
  /** x-units per step near the end of the run (for smoothing widths given in x-units). */
  unitsPerStep: number;
}

export function isXMode(value: string | null): value is XMode {
  return value !== null && (X_MODES as readonly string[]).includes(value);
}

/** Which x modes a run supports: tokens need tokensPerStep, time modes need logged wall times. */
export function listXModes(options: {
  tokensPerStep: number | null;
  hasWallTime: boolean;
}): XMode[] {
  return X_MODES.filter((mode) => {
    if (mode === 'tokens') return options.tokensPerStep !== null && options.tokensPerStep > 0;
    if (mode === 'wall' || mode === 'relative') return options.hasWallTime;
    return true;
  });
}

/** Wall times arrive in seconds (or ms); returns seconds. */
function toSeconds(time: number): number {
  return time > 1e11 ? time / 1000 : time;
}

/**
 * Builds the step -> x mapping of a run. `clock` holds (step, wall time) pairs of the observed
 * series; steps after the last one are extrapolated at the recent pace (forecasts have no clock).
 */
export function createXAxisMap(options: {
  mode: XMode;
  tokensPerStep: number | null;
  clock: ReadonlyArray<readonly [number, number | null]>;
}): XAxisMap {
  const { mode, tokensPerStep } = options;
  if (mode === 'tokens' && tokensPerStep && tokensPerStep > 0) {
    return {
      mode,
      label: 'tokens',
      toX: (step) => step * tokensPerStep,
      formatTick: formatSteps,
      tickStyle: 'count',
      unitsPerStep: tokensPerStep,
    };
  }
  if (mode === 'wall' || mode === 'relative') {
    const known = options.clock
      .filter((p): p is readonly [number, number] => p[1] !== null && Number.isFinite(p[1]))
      .map(([step, time]) => [step, toSeconds(time)] as const);
    if (known.length > 0) return createClockMap(mode, known);
  }
  return {
    mode: 'step',
    label: 'step',
    toX: (s) => s,
    formatTick: formatSteps,
    tickStyle: 'count',
    unitsPerStep: 1,
  };
}

function createClockMap(
  mode: 'wall' | 'relative',
  known: ReadonlyArray<readonly [number, number]>,
): XAxisMap {
  const first = known[0]!;
  const last = known[known.length - 1]!;
  // Pace from the last half of the run (start-up and evaluation pauses distort the early part).
  const mid = known[Math.floor((known.length - 1) / 2)]!;
  const pace =
    last[0] > mid[0]
      ? (last[1] - mid[1]) / (last[0] - mid[0])
      : last[0] > first[0]
        ? (last[1] - first[1]) / (last[0] - first[0])
        : 1;
  const secondsAt = (step: number): number => {
    if (step >= last[0]) return last[1] + (step - last[0]) * pace;
    if (step <= first[0]) return first[1] - (first[0] - step) * pace;
    let lo = 0;
    let hi = known.length - 1;
    while (hi - lo > 1) {
      const m = (lo + hi) >> 1;
      if (known[m]![0] <= step) lo = m;
      else hi = m;
    }
    const a = known[lo]!;
    const b = known[hi]!;
    const u = b[0] === a[0] ? 0 : (step - a[0]) / (b[0] - a[0]);
    return a[1] + u * (b[1] - a[1]);
  };
  if (mode === 'wall') {
    return {
      mode,
      label: 'wall time',
      toX: (step) => secondsAt(step) * 1000,
      formatTick: (x) => formatClock(x),
      tickStyle: 'clock',
      unitsPerStep: pace * 1000,
    };
  }
  return {
    mode,
    label: 'time since start',
    toX: (step) => (secondsAt(step) - first[1]) / 3600,
    formatTick: (x) => formatDuration(x * 3600),
    tickStyle: 'elapsed',
    unitsPerStep: pace / 3600,
  };
}

function formatClock(ms: number): string {
  const date = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
