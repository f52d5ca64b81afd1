import type { AxisTicks } from './nice-ticks';
import { computeNiceStep } from './nice-ticks';

/**
 * Time axes with ticks a person reads as round: 15 s, 5 min, 30 min, 2 h, 1 d steps for elapsed
 * time (linear or log), and clock times aligned to the local hour / minute for wall time. Pure.
 */

/** Round durations in seconds, the candidate steps (and log-axis ticks). */
const NICE_SECONDS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400,
  172_800, 604_800,
] as const;
const DAY = 86_400;

function pickStepSeconds(spanSeconds: number, target: number): number {
  const raw = spanSeconds / Math.max(1, target);
  const found = NICE_SECONDS.find((s) => s >= raw * (1 - 1e-9));
  return found ?? computeNiceStep(spanSeconds / DAY, target) * DAY;
}

/** "45 s", "5 min", "2 h", "1:30 h", "3 d": the unit the step calls for. */
export function formatElapsed(seconds: number, options: { stepSeconds: number }): string {
  const step = options.stepSeconds;
  const sign = seconds < 0 ? '−' : '';
  const s = Math.abs(Math.round(seconds));
  if (s === 0) return '0';
  if (step < 60) return `${sign}${s} s`;
  if (step < 3600) {
    if (s >= 7200) {
      const h = Math.floor(s / 3600);
      const m = Math.round((s % 3600) / 60);
      return `${sign}${h}:${String(m).padStart(2, '0')} h`;
    }
    return `${sign}${Math.round(s / 60)} min`;
  }
  if (step < DAY) return `${sign}${trimNumber(s / 3600)} h`;
  return `${sign}${trimNumber(s / DAY)} d`;
}

function trimNumber(value: number): string {
  return String(Number(value.toFixed(2)));
}

/** Ticks of elapsed time; x is in units of `unitSeconds` seconds (hours: 3600). */
export function createElapsedTicks(options: {
  min: number;
  max: number;
  unitSeconds: number;
  log: boolean;
  target?: number;
}): AxisTicks | null {
  const { unitSeconds } = options;
  const target = options.target ?? 8;
  const lo = options.min * unitSeconds;
  const hi = options.max * unitSeconds;
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) return null;
  if (options.log) {
    if (!(lo > 0)) return null;
    const candidates: number[] = [...NICE_SECONDS];
    for (let d = 14 * DAY; d <= hi; d *= 2) candidates.push(d);
    const inside = candidates.filter((c) => c >= lo * (1 - 1e-9) && c <= hi * (1 + 1e-9));
    const ratio = (hi / lo) ** (1 / target);
    const kept: number[] = [];
    for (const c of inside) {
      const prev = kept[kept.length - 1];
      if (prev === undefined || c / prev >= ratio * 0.999) kept.push(c);
    }
    if (kept.length < 2) return null;
    return {
      ticks: kept.map((s) => s / unitSeconds),
      domain: [options.min, options.max],
      format: (x) =>
        formatElapsed(x * unitSeconds, { stepSeconds: magnitudeStep(x * unitSeconds) }),
    };
  }
  const step = pickStepSeconds(hi - lo, target);
  const ticks: number[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi * (1 + 1e-12); k++) {
    ticks.push((k * step) / unitSeconds);
  }
  return {
    ticks,
    domain: [options.min, options.max],
    format: (x) => formatElapsed(x * unitSeconds, { stepSeconds: step }),
  };
}

/** On a log axis each tick is formatted in its own unit (30 s, 5 min, 2 h). */
function magnitudeStep(seconds: number): number {
  if (seconds < 60) return 1;
  if (seconds < 3600) return 60;
  if (seconds < DAY) return 3600;
  return DAY;
}

/**
 * Wall-clock ticks (x in epoch ms) aligned to round local times: every 15 min, 1 h, 6 h, 1 d...
 * `timezoneOffsetMinutes` as Date#getTimezoneOffset (UTC - local), passed in to stay pure.
 */
export function createClockTicks(options: {
  min: number;
  max: number;
  timezoneOffsetMinutes: number;
  target?: number;
}): AxisTicks | null {
  const { min, max } = options;
  if (!(max > min) || !Number.isFinite(min) || !Number.isFinite(max)) return null;
  const stepMs = pickStepSeconds((max - min) / 1000, options.target ?? 6) * 1000;
  const shift = options.timezoneOffsetMinutes * 60_000;
  const ticks: number[] = [];
  for (let k = Math.ceil((min - shift) / stepMs - 1e-9); k * stepMs + shift <= max; k++) {
    ticks.push(k * stepMs + shift);
  }
  const multiDay = max - min >= DAY * 1000 || stepMs >= DAY * 1000;
  return {
    ticks,
    domain: [min, max],
    format: (ms) =>
      formatLocalClock(ms, { shift, withDate: multiDay, withTime: stepMs < DAY * 1000 }),
  };
}

function formatLocalClock(
  ms: number,
  options: { shift: number; withDate: boolean; withTime: boolean },
): string {
  // Local time as UTC fields of the shifted instant (no dependency on the host's timezone here).
  const local = new Date(ms - options.shift);
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = `${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
  const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
  if (!options.withTime) return date;
  return options.withDate ? `${date} ${time}` : time;
}
