import { RuncastError } from '@runcast/core';
import type { LrPiece } from './lr-pieces';
import { type DropList, MIN_ETA, type PreparedSchedule } from './prepare';

/**
 * A long schedule at a fixed resolution (memory and time bounded in its length): the steps are cut
 * into at most ~`cells` cells, plus a boundary wherever an analytic piece starts or ends (lr-pieces.ts),
 * at the end of warmup and on cells growing from 1 step at the start of a curved piece, so each cell lies inside one
 * smooth, monotone piece. What the laws need is
 * kept per cell boundary ("node"): the LR, the prefix sum P (each cell summed by 5-point
 * Gauss-Legendre plus the trapezoid end terms, exact for short cells) and MTL's momentum and S2.
 * A cell's LR drop is split into the jump at its first step (exact, so step schedules stay exact) and
 * the smooth rest, placed at its |d|-weighted centroid; S2 takes the smooth rest as spread evenly.
 * At a step inside a cell, P and S2 are completed from the node before it.
 */
export type ScheduleGrid = {
  /** Cell boundaries as 1-based steps: nodes[0] = 0, last = T; cell i is (nodes[i-1], nodes[i]]. */
  nodes: Float64Array;
  /** Normalised LR and prefix sum P at each node. */
  eta: Float64Array;
  P: Float64Array;
  pieces: readonly LrPiece[];
  /** Piece of cell i (the one ending at nodes[i]); entry 0 unused. */
  cellPiece: Int32Array;
  /** MTL momentum m and S2 at the nodes, per lambda. */
  s2: Map<number, { m: Float64Array; s2: Float64Array }>;
};

/** Schedules up to this many steps are kept per step (exact); longer ones on a grid. */
export const EXACT_STEPS = 262_144;
/** Cells of a grid (a 10M-step schedule: cells of 153 steps). */
export const GRID_CELLS = 65_536;

export type ScheduleResolution = { exactSteps?: number; cells?: number };

const GL_X = [0, 0.5384693101056831, -0.5384693101056831, 0.906179845938664, -0.906179845938664];
const GL_W = [
  0.5688888888888889, 0.4786286704993665, 0.4786286704993665, 0.2369268850561891,
  0.2369268850561891,
];

/** sum_{t=a}^{b-1} at(t): directly for short runs, else Gauss-Legendre on [a, b-1] + Euler-Maclaurin ends. */
function sumSteps(at: LrPiece['at'], a: number, b: number): number {
  if (b - a <= 16) {
    let sum = 0;
    for (let t = a; t < b; t++) sum += at(t);
    return sum;
  }
  const half = (b - 1 - a) / 2;
  const mid = a + half;
  let integral = 0;
  for (let q = 0; q < 5; q++) integral += GL_W[q]! * at(mid + half * GL_X[q]!);
  // Euler-Maclaurin: the sum is the integral + the mean of the ends + (f'(end) - f'(start)) / 12.
  const d0 = (-3 * at(a) + 4 * at(a + 1) - at(a + 2)) / 2;
  const d1 = (3 * at(b - 1) - 4 * at(b - 2) + at(b - 3)) / 2;
  return integral * half + (at(a) + at(b - 1)) / 2 + (d1 - d0) / 12;
}

/** Mean of log eta over an LR drop from e1 to e2 weighted by |d eta| (the drop's centroid). */
function meanLogEta(e1: number, e2: number): number {
  const a = Math.max(e1, MIN_ETA);
  const b = Math.max(e2, MIN_ETA);
  if (Math.abs(a - b) <= 1e-12 * Math.max(a, b)) return Math.log(a);
  return (a * Math.log(a) - a - (b * Math.log(b) - b)) / (a - b);
}

function detectWarmupOf(pieces: readonly LrPiece[], max: number): number {
  const threshold = max * (1 - 1e-9);
  for (const p of pieces) {
    if (p.at(p.t0) >= threshold) return p.t0 + 1;
    if (p.at(p.t1 - 1) < threshold) continue;
    let lo = p.t0;
    let hi = p.t1 - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (p.at(mid) >= threshold) hi = mid;
      else lo = mid + 1;
    }
    return lo + 1;
  }
  return 0;
}

function listNodes(pieces: readonly LrPiece[], width: number, warmup: number) {
  const nodes: number[] = [0];
  const cellPiece: number[] = [0];
  pieces.forEach((p, index) => {
    const inner: number[] = [];
    // A curved piece starts with cells growing by 1/4 up to 4 cell widths: its LR may change
    // fastest there (sqrt), and the drops inside a cell should be nearly even.
    if (p.curved) {
      for (let d = 1; d < 4 * width && p.t0 + d < p.t1; d = Math.max(d + 1, Math.ceil(1.25 * d)))
        inner.push(p.t0 + d);
    }
    const first = (Math.floor((inner[inner.length - 1] ?? p.t0) / width) + 1) * width;
    for (let k = first; k < p.t1; k += width) inner.push(k);
    if (warmup > p.t0 && warmup < p.t1 && !inner.includes(warmup)) {
      inner.push(warmup);
      inner.sort((a, b) => a - b);
    }
    inner.push(p.t1);
    for (const k of inner) {
      nodes.push(k);
      cellPiece.push(index);
    }
  });
  return { nodes: Float64Array.from(nodes), cellPiece: Int32Array.from(cellPiece) };
}

/** Drops as parallel columns, in step order. */
type DropColumns = { k: number[]; delta: number[]; logEta: number[]; pBefore: number[] };

function toDropList(c: DropColumns): DropList {
  const n = c.k.length;
  const drops: DropList = {
    count: n,
    k: Int32Array.from(c.k),
    delta: Float64Array.from(c.delta),
    logEta: Float64Array.from(c.logEta),
    pBefore: Float64Array.from(c.pBefore),
    cumDelta: new Float64Array(n + 1),
    cumAbs: new Float64Array(n + 1),
    cumAbsLogEta: new Float64Array(n + 1),
    cumAbsP: new Float64Array(n + 1),
  };
  for (let j = 0; j < n; j++) {
    const d = drops.delta[j]!;
    const a = Math.abs(d);
    drops.cumDelta[j + 1] = drops.cumDelta[j]! + d;
    drops.cumAbs[j + 1] = drops.cumAbs[j]! + a;
    drops.cumAbsLogEta[j + 1] = drops.cumAbsLogEta[j]! + a * drops.logEta[j]!;
    drops.cumAbsP[j + 1] = drops.cumAbsP[j]! + a * drops.pBefore[j]!;
  }
  return drops;
}

/** prepare.ts prepareSchedule for a schedule given as pieces, kept on a grid of about `cells` cells. */
export function prepareScheduleGrid(
  pieces: readonly LrPiece[],
  options: {
    steps: number;
    peak?: number | undefined;
    warmup?: number | undefined;
    cells?: number;
  },
): PreparedSchedule {
  const T = options.steps;
  let max = 0;
  for (const p of pieces) max = Math.max(max, p.at(p.t0), p.at(p.t1 - 1));
  const peak = options.peak ?? max;
  if (!(peak > 0) || !Number.isFinite(peak)) {
    throw new RuncastError('INVALID_INPUT', 'the schedule has no positive LR', {
      where: { field: 'schedule' },
    });
  }
  const detected = options.warmup ?? detectWarmupOf(pieces, max);
  const warmup = Math.min(options.warmup ?? (detected === 1 ? 0 : detected), T);
  const width = Math.max(1, Math.ceil(T / (options.cells ?? GRID_CELLS)));
  const { nodes, cellPiece } = listNodes(pieces, width, warmup);
  const eta = new Float64Array(nodes.length);
  const P = new Float64Array(nodes.length);
  const drops: DropColumns = { k: [], delta: [], logEta: [], pBefore: [] };
  const addDrop = (k: number, delta: number, logEta: number, pBefore: number) => {
    drops.k.push(k);
    drops.delta.push(delta);
    drops.logEta.push(logEta);
    drops.pBefore.push(pBefore);
  };
  for (let i = 1; i < nodes.length; i++) {
    const at = pieces[cellPiece[i]!]!.at;
    const a = nodes[i - 1]!;
    const b = nodes[i]!;
    const first = at(a) / peak;
    eta[i] = at(b - 1) / peak;
    P[i] = P[i - 1]! + sumSteps(at, a, b) / peak;
    if (a < warmup) continue;
    const jump = eta[i - 1]! - first;
    if (a >= 1 && Math.abs(jump) > 1e-15)
      addDrop(a + 1, jump, Math.log(Math.max(first, MIN_ETA)), P[i - 1]!);
    const smooth = first - eta[i]!;
    if (b - a >= 2 && Math.abs(smooth) > 1e-15) {
      // Centroid of the drops at steps a+2..b: the mean of P[a+1] and P[b-1].
      const pFirst = P[i - 1]! + first;
      const pLastBefore = P[i]! - eta[i]!;
      addDrop(b, smooth, meanLogEta(first, eta[i]!), (pFirst + pLastBefore) / 2);
    }
  }
  return {
    steps: T,
    warmup,
    peak,
    eta: new Float64Array(0),
    P: new Float64Array(0),
    drops: toDropList(drops),
    s2Cache: new Map(),
    grid: { nodes, eta, P, pieces, cellPiece, s2: new Map() },
  };
}

/** Index of the last node at or before step s. */
function nodeAtOrBefore(grid: ScheduleGrid, s: number): number {
  let lo = 0;
  let hi = grid.nodes.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (grid.nodes[mid]! <= s) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Normalised LR of 1-based step k (exact or grid schedule). */
export function lrAt(schedule: PreparedSchedule, k: number): number {
  const grid = schedule.grid;
  if (!grid) return schedule.eta[k]!;
  const i = nodeAtOrBefore(grid, k);
  if (grid.nodes[i] === k) return grid.eta[i]!;
  return grid.pieces[grid.cellPiece[i + 1]!]!.at(k - 1) / schedule.peak;
}

/** P[s] = sum of the normalised LR of steps 1..s (exact or grid schedule). */
export function prefixSumAt(schedule: PreparedSchedule, s: number): number {
  const grid = schedule.grid;
  if (!grid) return schedule.P[s]!;
  const i = nodeAtOrBefore(grid, s);
  const a = grid.nodes[i]!;
  if (a === s) return grid.P[i]!;
  const at = grid.pieces[grid.cellPiece[i + 1]!]!.at;
  return grid.P[i]! + sumSteps(at, a, s) / schedule.peak;
}

/**
 * On a grid, the smooth part of the LR drops of s's cell that lie at or before s (the nodes' drop
 * list holds a cell's smooth part at the cell's end); null on an exact schedule or at a node.
 */
export function partialDropAt(
  schedule: PreparedSchedule,
  s: number,
): { delta: number; logEta: number; pBefore: number } | null {
  const grid = schedule.grid;
  if (!grid) return null;
  const i = nodeAtOrBefore(grid, s);
  const a = grid.nodes[i]!;
  if (s - a < 2 || a < schedule.warmup) return null;
  const first = lrAt(schedule, a + 1);
  const last = lrAt(schedule, s);
  const delta = first - last;
  if (Math.abs(delta) <= 1e-15) return null;
  const pBefore = (grid.P[i]! + first + prefixSumAt(schedule, s) - last) / 2;
  return { delta, logEta: meanLogEta(first, last), pBefore };
}

/**
 * MTL's S2 across part of a cell: from momentum m and S2 at node a, through the jump at step a+1
 * and then n steps whose drops total `smooth`, spread evenly (exact when the cell is one step).
 */
function advanceS2(
  from: { m: number; s2: number },
  jump: number,
  smooth: number,
  n: number,
  lambda: number,
) {
  const m1 = lambda * from.m + jump;
  const geo = n > 0 ? (lambda * (1 - lambda ** n)) / (1 - lambda) : 0;
  const per = n > 0 ? smooth / n : 0;
  return {
    m: lambda ** n * m1 + (n > 0 ? (per * (1 - lambda ** n)) / (1 - lambda) : 0),
    s2: from.s2 + m1 + m1 * geo + (per / (1 - lambda)) * (n - geo),
  };
}

function gridS2(schedule: PreparedSchedule, grid: ScheduleGrid, lambda: number) {
  const cached = grid.s2.get(lambda);
  if (cached) return cached;
  const n = grid.nodes.length;
  const m = new Float64Array(n);
  const s2 = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    const a = grid.nodes[i - 1]!;
    const b = grid.nodes[i]!;
    if (a < schedule.warmup) continue;
    const first = lrAt(schedule, a + 1);
    const jump = a >= 1 ? grid.eta[i - 1]! - first : 0;
    const next = advanceS2(
      { m: m[i - 1]!, s2: s2[i - 1]! },
      jump,
      first - grid.eta[i]!,
      b - a - 1,
      lambda,
    );
    m[i] = next.m;
    s2[i] = next.s2;
  }
  const result = { m, s2 };
  grid.s2.set(lambda, result);
  return result;
}

/** MTL's S2 at step s on a grid schedule (annealing-area.ts computeAnnealingArea's value). */
export function gridAnnealingAreaAt(schedule: PreparedSchedule, s: number, lambda: number): number {
  const grid = schedule.grid!;
  const at = gridS2(schedule, grid, lambda);
  const i = nodeAtOrBefore(grid, s);
  const a = grid.nodes[i]!;
  if (a === s || a < schedule.warmup) return at.s2[i]!;
  const first = lrAt(schedule, a + 1);
  const jump = a >= 1 ? grid.eta[i]! - first : 0;
  const smooth = first - lrAt(schedule, s);
  return advanceS2({ m: at.m[i]!, s2: at.s2[i]! }, jump, smooth, s - a - 1, lambda).s2;
}
