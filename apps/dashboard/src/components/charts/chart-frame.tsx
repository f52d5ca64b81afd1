import type { ReactElement } from 'react';
import { ResponsiveContainer } from 'recharts';

/** Sizes a chart: a fixed width when given (server rendering, benches), else the container's. */
export function ChartFrame(props: {
  width?: number | undefined;
  height: number;
  children: ReactElement;
  label: string;
}) {
  return (
    <figure className="chart" aria-label={props.label} style={{ height: props.height }}>
      {props.width ? (
        props.children
      ) : (
        <ResponsiveContainer width="100%" height={props.height} minWidth={0}>
          {props.children}
        </ResponsiveContainer>
      )}
    </figure>
  );
}

/** Tooltip box colours follow the theme (recharts sets inline styles, so they are passed here). */
export const TOOLTIP_STYLE = {
  background: 'var(--panel)',
  borderColor: 'var(--border)',
  borderRadius: 6,
  fontSize: 12,
} as const;
