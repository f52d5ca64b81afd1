import type { RefObject } from 'react';
import { buildChartFileName, toChartCsv } from '../../lib/chart-export';

function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Draws the chart's SVG on a canvas (2x, the page background behind it) and saves it as PNG. */
async function saveSvgAsPng(svg: SVGSVGElement, name: string): Promise<void> {
  const box = svg.getBoundingClientRect();
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(box.width));
  clone.setAttribute('height', String(box.height));
  // CSS variables do not resolve outside the page: inline the computed colours.
  const source = svg.querySelectorAll<SVGElement>('*');
  clone.querySelectorAll<SVGElement>('*').forEach((el, i) => {
    const from = source[i];
    if (!from) return;
    const style = getComputedStyle(from);
    for (const prop of [
      'fill',
      'stroke',
      'fill-opacity',
      'stroke-opacity',
      'opacity',
      'font-size',
    ]) {
      el.style.setProperty(prop, style.getPropertyValue(prop));
    }
  });
  const text = new XMLSerializer().serializeToString(clone);
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(box.width * 2);
  canvas.height = Math.round(box.height * 2);
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.fillStyle = getComputedStyle(document.body).backgroundColor || '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.scale(2, 2);
  ctx.drawImage(image, 0, 0);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (blob) saveBlob(blob, name);
}

/** CSV and PNG downloads of one chart: the rows it draws, the picture it shows. */
export function ChartDownloads(props: {
  run: string;
  chart: string;
  rows: readonly Record<string, unknown>[];
  columns: readonly { key: string; label: string }[];
  figure: RefObject<HTMLElement | null>;
}) {
  return (
    <span className="chart-downloads">
      <button
        type="button"
        className="link-button"
        onClick={() =>
          saveBlob(
            new Blob(
              [
                toChartCsv({
                  rows: props.rows as Parameters<typeof toChartCsv>[0]['rows'],
                  columns: props.columns,
                }),
              ],
              { type: 'text/csv' },
            ),
            buildChartFileName(props.run, props.chart, 'csv'),
          )
        }
      >
        CSV
      </button>
      <button
        type="button"
        className="link-button"
        onClick={() => {
          const svg = props.figure.current?.querySelector<SVGSVGElement>('svg.recharts-surface');
          if (svg) void saveSvgAsPng(svg, buildChartFileName(props.run, props.chart, 'png'));
        }}
      >
        PNG
      </button>
    </span>
  );
}
