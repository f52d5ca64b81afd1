import type { SmoothMethod } from '../lib/smooth-points';

/** Smoothing method and width (a half-life or sigma in x-units), shared by the run and compare pages. */
export function SmoothingControls(props: {
  method: SmoothMethod;
  width: number;
  /** The x-unit the width is in: "step", "tokens", ... */
  unitLabel: string;
  onMethodChange: (method: SmoothMethod) => void;
  /** null: back to the default width. */
  onWidthChange: (width: string | null) => void;
}) {
  return (
    <>
      <label>
        smoothing
        <select
          value={props.method}
          onChange={(e) => props.onMethodChange(e.target.value as SmoothMethod)}
        >
          <option value="none">none</option>
          <option value="ema">EMA (time-weighted)</option>
          <option value="gaussian">Gaussian</option>
        </select>
      </label>
      {props.method !== 'none' && (
        <label>
          {props.method === 'ema' ? 'half-life' : 'σ'} ({props.unitLabel})
          <input
            type="number"
            min={0}
            step="any"
            className="smooth-width"
            value={props.width}
            onChange={(e) => props.onWidthChange(e.target.value || null)}
          />
        </label>
      )}
    </>
  );
}
