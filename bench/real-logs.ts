/**
 * `pnpm bench real-logs`: every real log folder (../shared/fixtures/logs/<format>/<sample> and
 * packages/ingest/fixtures/logs/<sample>) ingested with the default plugins into a fresh store,
 * as a new user would (`runcast ingest <folder>`), then each run with 20+ points of its loss
 * forecast with no declared schedule. Prints per folder: read or not (files read of files, points,
 * file errors), runs, runs with 20+ loss points, forecasts answered with the model and the
 * assumption the forecast's diagnostics report; then the totals.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openLocalApi } from '../packages/api/src/index';
import { saveBenchJson } from './lib/measure';

const SHARED = fileURLToPath(new URL('../../shared/fixtures/logs/', import.meta.url));
const OURS = fileURLToPath(new URL('../packages/ingest/fixtures/logs/', import.meta.url));
const MIN_POINTS = 20;

/** Sample folders: <format>/<sample> under the shared fixtures, <sample> under ours. */
function sampleFolders(): string[] {
  const out: string[] = [];
  const dirsOf = (dir: string) =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((n) => statSync(join(dir, n)).isDirectory())
          .sort()
          .map((n) => join(dir, n))
      : [];
  for (const format of dirsOf(SHARED)) out.push(...dirsOf(format));
  out.push(...dirsOf(OURS));
  return out;
}

/** What a forecast's diagnostics say it assumed: the schedule's assumption and any fallback. */
function assumptionOf(diagnostics: Record<string, unknown>): string {
  const parts: string[] = [];
  const assumption = diagnostics.scheduleAssumption as
    | { source?: string; detail?: string; widened?: boolean }
    | undefined;
  if (assumption?.source) {
    parts.push(
      `${assumption.source}${assumption.widened ? ' (band widened)' : ''}: ${assumption.detail ?? ''}`,
    );
  }
  if (typeof diagnostics.fallback === 'string') parts.push(`fallback ${diagnostics.fallback}`);
  return parts.join('; ') || '-';
}

interface FolderRow {
  folder: string;
  status: string;
  filesRead: number;
  files: number;
  points: number;
  errors: number;
  runs: number;
  runs20: number;
  answered: number;
  forecasts: { run: string; key: string; model?: string; assumption?: string; error?: string }[];
}

const rows: FolderRow[] = [];
const root = mkdtempSync(join(tmpdir(), 'runcast-bench-real-logs-'));
try {
  for (const [i, folder] of sampleFolders().entries()) {
    const api = openLocalApi({ db: join(root, `${i}.db`) });
    try {
      const summary = await api.services.ingest.ingestFiles({ paths: [folder] });
      const counted = summary.files.filter((f) => !f.path.endsWith('SOURCES.md'));
      const read = counted.filter((f) => ['completed', 'partial'].includes(f.status));
      const row: FolderRow = {
        folder: folder.startsWith(SHARED)
          ? relative(SHARED, folder)
          : `ours/${relative(OURS, folder)}`,
        status: summary.status,
        filesRead: read.length,
        files: counted.length,
        points: summary.points,
        errors: counted.reduce((n, f) => n + f.errors.filter((e) => e.level === 'error').length, 0),
        runs: 0,
        runs20: 0,
        answered: 0,
        forecasts: [],
      };
      const runs = await api.services.runs.list();
      row.runs = runs.length;
      for (const run of runs) {
        const loss = run.series.find((s) => s.key === run.lossKey);
        if (!loss || loss.points < MIN_POINTS) continue;
        row.runs20++;
        try {
          const f = await api.services.forecasts.get({ runId: run.id });
          const finite = Number.isFinite(f.final.mean) && Number.isFinite(f.final.hi95);
          if (finite) row.answered++;
          row.forecasts.push({
            run: run.name,
            key: loss.key,
            model: finite ? f.model : `${f.model} (non-finite)`,
            assumption: assumptionOf(f.diagnostics as Record<string, unknown>),
          });
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          row.forecasts.push({ run: run.name, key: loss.key, error: message.slice(0, 140) });
        }
      }
      rows.push(row);
    } finally {
      await api.close();
    }
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}

for (const r of rows) {
  const read = r.filesRead > 0 ? 'read' : 'NOT READ';
  console.log(
    `${r.folder.padEnd(58)} ${read.padEnd(8)} files ${r.filesRead}/${r.files}  points ${String(r.points).padStart(7)}  errors ${r.errors}  runs ${r.runs}  20+ ${r.runs20}  forecast ${r.answered}/${r.runs20}`,
  );
  for (const f of r.forecasts) {
    console.log(
      `    ${f.run.slice(0, 40).padEnd(40)} ${f.key.slice(0, 24).padEnd(24)} ${f.error ? `no forecast: ${f.error}` : `${f.model}  ${f.assumption}`}`,
    );
  }
}
const total = (pick: (r: FolderRow) => number) => rows.reduce((n, r) => n + pick(r), 0);
const foldersRead = rows.filter((r) => r.filesRead > 0).length;
const runs20 = total((r) => r.runs20);
const answered = total((r) => r.answered);
console.log(
  `\nfolders read: ${foldersRead}/${rows.length}; runs: ${total((r) => r.runs)}; runs with ${MIN_POINTS}+ loss points: ${runs20}; finite forecast with a band: ${answered}/${runs20} (${runs20 ? ((100 * answered) / runs20).toFixed(0) : 0}%)`,
);
const path = saveBenchJson('real-logs', {
  folders: rows.length,
  foldersRead,
  runs20,
  answered,
  rows,
});
console.log(`saved ${path}`);
