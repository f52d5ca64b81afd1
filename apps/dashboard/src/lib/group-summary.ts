// The compare page's seed groups: runs of one group (same model and schedule, different seeds)
// summarised as mean ± spread of their final (or forecast final) losses.

export interface GroupMember {
  id: number;
  group: string | null;
  /** The run's final loss: its result when ended, its forecast mean otherwise. */
  final: number | null;
}

export interface GroupSummary {
  group: string;
  runs: number[];
  mean: number;
  /** Sample standard deviation across the runs (0 for one run). */
  sd: number;
  min: number;
  max: number;
}

/** Groups with at least two compared runs that have a final loss, in first-seen order. */
export function summarizeGroups(members: readonly GroupMember[]): GroupSummary[] {
  const byGroup = new Map<string, GroupMember[]>();
  for (const m of members) {
    if (m.group === null || m.final === null || !Number.isFinite(m.final)) continue;
    const list = byGroup.get(m.group) ?? [];
    list.push(m);
    byGroup.set(m.group, list);
  }
  const out: GroupSummary[] = [];
  for (const [group, list] of byGroup) {
    if (list.length < 2) continue;
    const values = list.map((m) => m.final!);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1));
    out.push({
      group,
      runs: list.map((m) => m.id),
      mean,
      sd,
      min: Math.min(...values),
      max: Math.max(...values),
    });
  }
  return out;
}
