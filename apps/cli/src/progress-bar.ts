import cliProgress from 'cli-progress';

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/**
 * A progress bar on stderr for long ingests: bytes read of the total and points/s. It appears only
 * after `delayMs` (short ingests stay quiet) and only on a terminal, unless RUNCAST_PROGRESS=1.
 */
export function createIngestProgress(options: { delayMs?: number } = {}) {
  const enabled = process.stderr.isTTY || process.env.RUNCAST_PROGRESS === '1';
  const started = performance.now();
  const delay = options.delayMs ?? 500;
  let bar: cliProgress.SingleBar | null = null;
  return {
    update(p: { bytesDone: number; bytesTotal: number; points: number }): void {
      if (!enabled) return;
      const elapsed = (performance.now() - started) / 1000;
      const payload = {
        bytes: `${formatBytes(p.bytesDone)} / ${formatBytes(p.bytesTotal)}`,
        points: p.points.toLocaleString('en-US'),
        rate: Math.round(p.points / Math.max(elapsed, 1e-3)).toLocaleString('en-US'),
      };
      if (!bar) {
        if (elapsed * 1000 < delay) return;
        bar = new cliProgress.SingleBar(
          {
            stream: process.stderr,
            format: 'ingest [{bar}] {percentage}% | {bytes} | {points} points | {rate} points/s',
            noTTYOutput: !process.stderr.isTTY,
            notTTYSchedule: 1000,
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(Math.max(1, p.bytesTotal), p.bytesDone, payload);
        return;
      }
      bar.setTotal(Math.max(1, p.bytesTotal));
      bar.update(p.bytesDone, payload);
    },
    stop(): void {
      bar?.stop();
      bar = null;
    },
  };
}
