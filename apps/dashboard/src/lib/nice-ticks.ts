/**
 * Axis ticks a reader can do arithmetic with: linear steps of 1, 2 or 5 x 10^k covering the data,
 * log axes on decades (with 2/5 or 1..9 subdivisions when a decade is too coarse), and labels at
 * the precision the step needs (4.0, 3.8, 3.6; 2e-4, 4e-4; 0.02, 0.05, 0.1). Pure.
 */

export type TickScale = 'linear' | 'log';
/** 'fixed': 3.25; 'exponent': 2.5e-4 (learning rates); 'si': 2,000 / 15k / 1.5M (steps, tokens). */
export type TickNotation = 'fixed' | 'exponent' | 'si';

export interface AxisTicks {
  ticks: number[];
  /** The axis range: the data extent widened to the outermost ticks. */
  domain: [number, number];
  format: (value: number) => string;
}

const STEP_MULTIPLIERS = [1, 2, 5, 10] as const;
/** Mantissas of the ticks in one decade, coarsest first. */
const LOG_SUBDIVISIONS = [[1], [1, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]] as const;

/** The smallest 1/2/5 x 10^k step that splits `span` into at most `target` intervals. */
export function computeNiceStep(span: number, target: number): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / Math.max(1, target);
  const power = 10 ** Math.floor(Math.log10(raw));
  const multiplier = STEP_MULTIPLIERS.find((m) => m * power >= raw * (1 - 1e-9)) ?? 10;
  return multiplier * power;
}

/** Ticks for [min, max] on a linear or log axis; falls back to linear when log is impossible. */
export function createAxisTicks(options: {
  min: number;
  max: number;
  scale?: TickScale;
  notation?: TickNotation;
  /** About how many intervals (linear); default 5. */
  target?: number;
  /** Keep the range as given, ticks inside it only (default: widen to the outer ticks). */
  inside?: boolean;
}): AxisTicks {
  const notation = options.notation ?? 'fixed';
  let { min, max } = options;
  if (!Number.isFinite(min) || !Number.isFinite(max)) {
    return { ticks: [], domain: [0, 1], format: (value) => String(value) };
  }
  if (min > max) [min, max] = [max, min];
  if (options.scale === 'log' && min > 0) {
    const log = createLogTicks({ min, max, notation });
    if (log) return log;
  }
  const target = options.target ?? 5;
  const inside = options.inside ?? false;
  return createLinearTicks({
    min,
    max,
    notation,
    target,
    positive: options.scale === 'log',
    inside,
  });
}

function createLinearTicks(options: {
  min: number;
  max: number;
  notation: TickNotation;
  target: number;
  /** Keep the domain above 0 (a narrow log axis drawn with linear ticks). */
  positive: boolean;
  inside: boolean;
}): AxisTicks {
  let { min, max } = options;
  if (min === max) {
    const pad = Math.abs(min) * 0.05 || 1;
    min -= pad;
    max += pad;
  }
  const step = computeNiceStep(max - min, options.target);
  const first = options.inside ? Math.ceil(min / step - 1e-9) : Math.floor(min / step + 1e-9);
  const last = options.inside ? Math.floor(max / step + 1e-9) : Math.ceil(max / step - 1e-9);
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(roundTo(i * step, step));
  if (options.positive) {
    while (ticks.length > 2 && ticks[0]! <= 0) ticks.shift();
  }
  return {
    ticks,
    domain: [Math.min(ticks[0]!, min), Math.max(ticks[ticks.length - 1]!, max)],
    format: (value) =>
      formatTick(value, { step, notation: pickNotation(options.notation, ticks, step), ticks }),
  };
}

/** Log ticks with the coarsest subdivision giving at least 3 ticks; null when even 1..9 do not. */
function createLogTicks(options: {
  min: number;
  max: number;
  notation: TickNotation;
}): AxisTicks | null {
  const { min, max } = options;
  const lowDecade = Math.floor(Math.log10(min) + 1e-9);
  const highDecade = Math.ceil(Math.log10(max) - 1e-9);
  for (const mantissas of LOG_SUBDIVISIONS) {
    const candidates: number[] = [];
    for (let d = lowDecade; d <= highDecade; d++) {
      for (const m of mantissas) candidates.push(roundTo(m * 10 ** d, 10 ** (d - 1)));
    }
    candidates.push(10 ** (highDecade + 1));
    const below = candidates.filter((c) => c <= min * (1 + 1e-9));
    const above = candidates.filter((c) => c >= max * (1 - 1e-9));
    const lo = below[below.length - 1] ?? candidates[0]!;
    const hi = above[0] ?? candidates[candidates.length - 1]!;
    let ticks = candidates.filter((c) => c >= lo && c <= hi);
    const inside = ticks.filter((c) => c >= min * (1 - 1e-9) && c <= max * (1 + 1e-9));
    if (inside.length < 3 && mantissas.length < 9) continue;
    if (inside.length < 2) return null;
    if (mantissas.length === 1 && ticks.length > 8) {
      const every = Math.ceil(ticks.length / 8);
      ticks = ticks.filter((t) => Math.round(Math.log10(t)) % every === 0);
    }
    const notation = pickNotation(options.notation, ticks, ticks[0]!);
    return {
      ticks,
      domain: [Math.min(lo, min), Math.max(hi, max)],
      format: (value) => formatTick(value, { step: magnitudeOf(value), notation, ticks }),
    };
  }
  return null;
}

/** Exponent notation for tiny or huge values even when 'fixed' was asked for. */
function pickNotation(
  notation: TickNotation,
  ticks: readonly number[],
  step: number,
): TickNotation {
  if (notation !== 'fixed') return notation;
  const largest = Math.max(...ticks.map(Math.abs));
  return largest >= 1e6 || step < 1e-4 ? 'exponent' : 'fixed';
}

/** [from, scale, unit]: thousands only from 10,000 on (2,000 reads better than 2k). */
const SI_UNITS = [
  [1e9, 1e9, 'B'],
  [1e6, 1e6, 'M'],
  [1e4, 1e3, 'k'],
] as const;

/**
 * A tick label with the digits `step` needs: step 0.05 -> "3.05"; exponent: "2.5e-4"; si: one unit
 * for the whole axis, chosen from its largest tick (0, 5k, 10k, 15k rather than 0, 5,000, 10k).
 */
export function formatTick(
  value: number,
  options: { step: number; notation: TickNotation; ticks?: readonly number[] },
): string {
  if (!Number.isFinite(value)) return '';
  const step = Math.abs(options.step);
  const stepPower = step > 0 ? Math.floor(Math.log10(step) + 1e-9) : 0;
  if (Math.abs(value) < step * 1e-6 || value === 0) return '0';
  if (options.notation === 'si') {
    const largest = Math.max(Math.abs(value), ...(options.ticks ?? []).map(Math.abs));
    const [, scale, unit] = SI_UNITS.find(([from]) => largest >= from) ?? [1, 1, ''];
    const decimals = Math.max(0, Math.ceil(-Math.log10(step / scale) - 1e-9));
    const text = (value / scale).toLocaleString('en-US', {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    });
    return `${text.replace(/^-/, '−')}${unit}`;
  }
  if (options.notation === 'exponent') {
    let power = Math.floor(Math.log10(Math.abs(value)) + 1e-9);
    const digits = Math.max(0, power - stepPower);
    let mantissa = (value / 10 ** power).toFixed(digits);
    if (Math.abs(Number(mantissa)) >= 10) {
      power += 1;
      mantissa = (value / 10 ** power).toFixed(Math.max(0, digits - 1));
    }
    return `${trimZeros(mantissa)}e${power}`;
  }
  const text = value.toFixed(Math.max(0, -stepPower));
  return text.startsWith('-') ? `−${text.slice(1)}` : text;
}

/** The power of ten of a value (its decade), as a number: 0.03 -> 0.01. */
function magnitudeOf(value: number): number {
  return value > 0 ? 10 ** Math.floor(Math.log10(value) + 1e-9) : 1;
}

function roundTo(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9)) + 2;
  return Number(value.toFixed(Math.min(20, decimals)));
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
