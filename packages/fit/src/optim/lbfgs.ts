/**
 * L-BFGS with a strong-Wolfe line search (Nocedal & Wright, alg. 7.4 / 3.5-3.6) for smooth
 * unconstrained objectives. Bounds are handled by the caller through parameter transforms.
 */

/** Objective: writes the gradient into `grad` and returns the value. */
export type ObjectiveWithGradient = (x: Float64Array, grad: Float64Array) => number;

export type LbfgsOptions = {
  /** History length (default 10). */
  memory?: number;
  /** Maximum iterations (default 200). */
  maxIterations?: number;
  /** Stop when the max-norm of the gradient is below this (default 1e-8). */
  gradientTolerance?: number;
  /** Stop when the relative decrease of f in one iteration is below this (default 1e-12). */
  functionTolerance?: number;
  /** Strong-Wolfe constants (defaults 1e-4 and 0.9). */
  c1?: number;
  c2?: number;
};

export type LbfgsResult = {
  x: Float64Array;
  value: number;
  gradient: Float64Array;
  iterations: number;
  evaluations: number;
  converged: boolean;
  reason: 'gradient' | 'function' | 'max-iterations' | 'line-search' | 'non-finite';
};

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/** Minimises f from x0. Never throws on non-finite values: it stops and returns the best point. */
export function minimizeLbfgs(
  f: ObjectiveWithGradient,
  x0: ArrayLike<number>,
  options: LbfgsOptions = {},
): LbfgsResult {
  const n = x0.length;
  const m = options.memory ?? 10;
  const maxIter = options.maxIterations ?? 200;
  const gtol = options.gradientTolerance ?? 1e-8;
  const ftol = options.functionTolerance ?? 1e-12;
  const c1 = options.c1 ?? 1e-4;
  const c2 = options.c2 ?? 0.9;

  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let fx = f(x, g);
  let evaluations = 1;
  const result = (iterations: number, reason: LbfgsResult['reason']): LbfgsResult => ({
    x,
    value: fx,
    gradient: g,
    iterations,
    evaluations,
    converged: reason === 'gradient' || reason === 'function',
    reason,
  });
  if (!Number.isFinite(fx) || !g.every(Number.isFinite)) return result(0, 'non-finite');

  const sHist: Float64Array[] = [];
  const yHist: Float64Array[] = [];
  const rhoHist: number[] = [];
  const d = new Float64Array(n);
  const alphaBuf = new Float64Array(m);
  const xTrial = new Float64Array(n);
  const gTrial = new Float64Array(n);

  for (let iter = 0; iter < maxIter; iter++) {
    if (maxAbs(g) < gtol) return result(iter, 'gradient');
    // Two-loop recursion: d = -H g.
    for (let i = 0; i < n; i++) d[i] = -g[i]!;
    const h = sHist.length;
    for (let j = h - 1; j >= 0; j--) {
      const a = rhoHist[j]! * dot(sHist[j]!, d);
      alphaBuf[j] = a;
      const y = yHist[j]!;
      for (let i = 0; i < n; i++) d[i] = d[i]! - a * y[i]!;
    }
    if (h > 0) {
      const gammaScale = dot(sHist[h - 1]!, yHist[h - 1]!) / dot(yHist[h - 1]!, yHist[h - 1]!);
      for (let i = 0; i < n; i++) d[i] = d[i]! * gammaScale;
    } else {
      const gn = Math.sqrt(dot(g, g));
      const scale = gn > 0 ? Math.min(1, 1 / gn) : 1;
      for (let i = 0; i < n; i++) d[i] = d[i]! * scale;
    }
    for (let j = 0; j < h; j++) {
      const b = rhoHist[j]! * dot(yHist[j]!, d);
      const s = sHist[j]!;
      for (let i = 0; i < n; i++) d[i] = d[i]! + s[i]! * (alphaBuf[j]! - b);
    }
    let dg = dot(d, g);
    if (!(dg < 0)) {
      // Not a descent direction: restart from steepest descent.
      sHist.length = 0;
      yHist.length = 0;
      rhoHist.length = 0;
      const gn = Math.sqrt(dot(g, g));
      for (let i = 0; i < n; i++) d[i] = -g[i]! / Math.max(gn, 1e-300);
      dg = dot(d, g);
    }

    const phi = (t: number): { v: number; dv: number } => {
      for (let i = 0; i < n; i++) xTrial[i] = x[i]! + t * d[i]!;
      const v = f(xTrial, gTrial);
      evaluations++;
      return { v: Number.isFinite(v) ? v : Number.POSITIVE_INFINITY, dv: dot(gTrial, d) };
    };
    const step = searchStrongWolfe(phi, fx, dg, { c1, c2 });
    if (step === null) return result(iter, 'line-search');
    // Re-evaluate at the accepted step (phi's buffers hold the last trial, not necessarily it).
    const xNew = new Float64Array(n);
    for (let i = 0; i < n; i++) xNew[i] = x[i]! + step * d[i]!;
    const gNew = new Float64Array(n);
    const fNew = f(xNew, gNew);
    evaluations++;
    if (!Number.isFinite(fNew)) return result(iter, 'non-finite');
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i]! - x[i]!;
      y[i] = gNew[i]! - g[i]!;
    }
    const sy = dot(s, y);
    const fOld = fx;
    x = xNew;
    g = gNew;
    fx = fNew;
    if (sy > 1e-300) {
      sHist.push(s);
      yHist.push(y);
      rhoHist.push(1 / sy);
      if (sHist.length > m) {
        sHist.shift();
        yHist.shift();
        rhoHist.shift();
      }
    }
    if (Math.abs(fOld - fx) <= ftol * Math.max(1, Math.abs(fx)))
      return result(iter + 1, 'function');
  }
  return result(maxIter, 'max-iterations');
}

type Phi = (t: number) => { v: number; dv: number };

/** Strong-Wolfe line search with zoom; returns the accepted step or null. */
function searchStrongWolfe(
  phi: Phi,
  f0: number,
  df0: number,
  opts: { c1: number; c2: number },
): number | null {
  const { c1, c2 } = opts;
  let tPrev = 0;
  let fPrev = f0;
  let dfPrev = df0;
  let t = 1;
  const tMax = 1e10;
  for (let i = 0; i < 30; i++) {
    const { v, dv } = phi(t);
    if (v > f0 + c1 * t * df0 || (i > 0 && v >= fPrev)) {
      return zoom(phi, { lo: tPrev, flo: fPrev, dflo: dfPrev, hi: t, fhi: v }, f0, df0, opts);
    }
    if (Math.abs(dv) <= -c2 * df0) return t;
    if (dv >= 0)
      return zoom(phi, { lo: t, flo: v, dflo: dv, hi: tPrev, fhi: fPrev }, f0, df0, opts);
    tPrev = t;
    fPrev = v;
    dfPrev = dv;
    t = Math.min(t * 2, tMax);
  }
  return fPrev < f0 ? tPrev : null;
}

function zoom(
  phi: Phi,
  bracket: { lo: number; flo: number; dflo: number; hi: number; fhi: number },
  f0: number,
  df0: number,
  opts: { c1: number; c2: number },
): number | null {
  let { lo, flo, dflo, hi, fhi } = bracket;
  for (let i = 0; i < 40; i++) {
    // Quadratic interpolation from (lo, flo, dflo) and (hi, fhi), safeguarded to the inner 80 %.
    const width = hi - lo;
    let t = lo - (dflo * width * width) / (2 * (fhi - flo - dflo * width));
    const a = Math.min(lo, hi);
    const b = Math.max(lo, hi);
    if (!Number.isFinite(t) || t < a + 0.1 * (b - a) || t > b - 0.1 * (b - a)) t = (lo + hi) / 2;
    const { v, dv } = phi(t);
    if (v > f0 + opts.c1 * t * df0 || v >= flo) {
      hi = t;
      fhi = v;
    } else {
      if (Math.abs(dv) <= -opts.c2 * df0) return t;
      if (dv * (hi - lo) >= 0) {
        hi = lo;
        fhi = flo;
      }
      lo = t;
      flo = v;
      dflo = dv;
    }
    if (Math.abs(hi - lo) < 1e-16 * Math.max(1, Math.abs(lo))) break;
  }
  return flo < f0 && lo > 0 ? lo : null;
}
