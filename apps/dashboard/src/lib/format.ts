/** Display formatting: numbers a tired person reads at a glance. */

export function formatLoss(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e5)) return value.toExponential(3);
  return value.toFixed(abs >= 100 ? 1 : 4);
}

/** 1234 -> "1,234"; 12345 -> "12.3k"; 2.5e6 -> "2.5M". */
export function formatSteps(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${trimZeros((value / 1e9).toFixed(2))}B`;
  if (abs >= 1e6) return `${trimZeros((value / 1e6).toFixed(2))}M`;
  if (abs >= 1e4) return `${trimZeros((value / 1e3).toFixed(1))}k`;
  return Math.round(value).toLocaleString('en-US');
}

/** A learning rate, 3 significant digits without trailing zeros: 3e-4, 2.5e-4, 1.23e-3. */
export function formatLr(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (value === 0) return '0';
  const [mantissa = '', exponent] = value.toExponential(2).split('e');
  return `${trimZeros(mantissa)}e${Number(exponent)}`;
}

/** mean ± half the 80% band, both to the decimals of the uncertainty: "3.36 ± 0.15". */
export function formatBand(band: { mean: number; lo80: number; hi80: number } | null | undefined) {
  if (!band) return '—';
  return formatWithUncertainty(band.mean, (band.hi80 - band.lo80) / 2);
}

/**
 * A value and its uncertainty written the way a paper would: the uncertainty to 2 significant
 * digits, the value to the same decimal place ("3.36 ± 0.15", "3.03530 ± 0.00039",
 * "+0.057 ± 0.013" when signed). Falls back to formatLoss when the uncertainty is 0 or unknown.
 */
export function formatWithUncertainty(
  value: number,
  uncertainty: number,
  options: { signed?: boolean } = {},
): string {
  const half = Math.abs(uncertainty);
  const sign = options.signed ? (value < 0 ? '−' : '+') : value < 0 ? '−' : '';
  if (!Number.isFinite(value)) return formatLoss(value);
  if (!(half > 0) || !Number.isFinite(half)) {
    const text = options.signed ? formatDelta(value) : formatLoss(value);
    return `${text} ± 0`;
  }
  const decimals = Math.min(6, Math.max(0, 1 - Math.floor(Math.log10(half))));
  return `${sign}${Math.abs(value).toFixed(decimals)} ± ${half.toFixed(decimals)}`;
}

/** A loss difference: "+0.0040" (signed) with enough digits to show it. */
export function formatDelta(value: number, options: { signed?: boolean } = {}): string {
  const signed = options.signed ?? true;
  const abs = Math.abs(value);
  const digits = abs === 0 ? 4 : Math.min(6, Math.max(3, 1 - Math.floor(Math.log10(abs))));
  const text = abs.toFixed(digits);
  if (!signed) return text;
  return `${value < 0 ? '−' : '+'}${text}`;
}

export function formatPercent(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '—';
  if (p > 0 && p < 0.01) return '<1%';
  if (p < 1 && p > 0.99) return '>99%';
  return `${Math.round(p * 100)}%`;
}

/** A timestamp in ms (or s, when small) as "5 s ago", "3 min ago", "2 h ago", "4 d ago". */
export function formatAgo(time: number | null | undefined, now: number): string {
  if (time === null || time === undefined || !Number.isFinite(time)) return '—';
  const ms = time < 1e11 ? time * 1000 : time;
  const seconds = Math.max(0, Math.round((now - ms) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

/** Seconds as "45 s", "12.5 min", "3.2 h". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  if (Math.abs(seconds) < 120) return `${trimZeros(seconds.toFixed(1))} s`;
  if (Math.abs(seconds) < 7200) return `${trimZeros((seconds / 60).toFixed(1))} min`;
  return `${trimZeros((seconds / 3600).toFixed(1))} h`;
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
