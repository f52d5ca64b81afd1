/**
 * `pnpm bench group-from-logs`: group forecasts for runs ingested from plain log files (JSONL
 * {step, loss, lr}: no declared schedule, status unknown) - the common `runcast ingest logs/
 * --group G` case. For each group, every WSD run is cut at 40 % of its steps (before its
 * cooldown) and its final loss forecast in group mode (donors: siblings whose logged LR shows a
 * finished decay or an observed drop) and single-run (the baseline, measured in the same run: what
 * every such forecast fell back to before). Prints |error| of the final loss, wins and the ratio.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLocalApi } from '../packages/api/src/index';
import { CURVES_DIR } from './lib/curves';
import { saveBenchJson } from './lib/measure';

const GROUPS = [
  'epfl-openwebtext2-L10H8E512',
  'epfl-openwebtext2-L12H10E640',
  'epfl-openwebtext2-L12H14E896',
  'epfl-slimpajama-L10H8E512',
  'epfl-slimpajama-L12H10E640',
  'epfl-slimpajama-L16H12E768',
  'epfl-slimpajama-L8H6E384',
  'epfl-slimpajama-L8H8E512',
  'epfl-slimpajama-L24H16E1024',
  'mpl-25M',
  'mpl-100M',
  'mpl-400M',
];
const CUT = 0.4;

type Raw = { group: string; schedule: { kind: string }; points: [number, number, number][] };
const byGroup = new Map<string, { name: string; raw: Raw }[]>();
for (const file of readdirSync(CURVES_DIR).sort()) {
  if (!file.endsWith('.json')) continue;
  const raw = JSON.parse(readFileSync(CURVES_DIR + file, 'utf8')) as Raw;
  if (!GROUPS.includes(raw.group)) continue;
  const list = byGroup.get(raw.group) ?? [];
  list.push({ name: file.replace(/\.json$/, ''), raw });
  byGroup.set(raw.group, list);
}

const rows: {
  group: string;
  run: string;
  truth: number;
  group_: number;
  single: number;
  donors: number;
}[] = [];
const failures: string[] = [];
const root = mkdtempSync(join(tmpdir(), 'runcast-bench-group-logs-'));
try {
  for (const [group, curves] of byGroup) {
    const logs = join(root, group);
    mkdirSync(logs, { recursive: true });
    for (const { name, raw } of curves) {
      const lines = raw.points.map(([step, loss, lr]) => JSON.stringify({ step, loss, lr }));
      writeFileSync(join(logs, `${name}.jsonl`), `${lines.join('\n')}\n`);
    }
    const api = openLocalApi({ db: join(root, `${group}.db`) });
    await api.services.ingest.ingestFiles({ paths: [logs], group });
    for (const { name, raw } of curves) {
      if (raw.schedule.kind !== 'wsd') continue;
      const run = await api.services.runs.resolve(name);
      const until = Math.round(CUT * (run.stepsDone ?? 0));
      let withGroup: Awaited<ReturnType<typeof api.services.forecasts.get>>;
      let single: typeof withGroup;
      try {
        withGroup = await api.services.forecasts.get({ runId: run.id, until });
        single = await api.services.forecasts.get({ runId: run.id, until, group: false });
      } catch (e) {
        failures.push(`${name} @ ${until}: ${(e as Error).message}`);
        continue;
      }
      rows.push({
        group,
        run: name,
        truth: raw.points.at(-1)![1],
        group_: withGroup.final.mean,
        single: single.final.mean,
        donors: withGroup.diagnostics.groupDonors as number,
      });
    }
    await api.close();
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}

const mae = (pick: (r: (typeof rows)[number]) => number) =>
  rows.reduce((s, r) => s + Math.abs(pick(r) - r.truth), 0) / rows.length;
const groupMae = mae((r) => r.group_);
const singleMae = mae((r) => r.single);
const wins = rows.filter((r) => Math.abs(r.group_ - r.truth) < Math.abs(r.single - r.truth)).length;
const withDonors = rows.filter((r) => r.donors > 0).length;
for (const r of rows) {
  console.log(
    `${r.run.padEnd(66)} truth ${r.truth.toFixed(4)}  group ${r.group_.toFixed(4)} (${r.donors} donors)  single ${r.single.toFixed(4)}`,
  );
}
for (const f of failures) console.log(`no forecast: ${f}`);
console.log(
  `\n${rows.length} WSD runs cut at ${CUT * 100} %: group mode used for ${withDonors}; |final error| mean: group ${groupMae.toFixed(4)} vs single-run ${singleMae.toFixed(4)} (ratio ${(groupMae / singleMae).toFixed(2)}); group closer on ${wins}/${rows.length}`,
);
const path = saveBenchJson('group-from-logs', {
  cut: CUT,
  runs: rows.length,
  withDonors,
  groupMae,
  singleMae,
  ratio: groupMae / singleMae,
  wins,
  failures,
  rows,
});
console.log(`saved ${path}`);
