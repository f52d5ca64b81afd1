/**
 * Dense symmetric positive-definite solves for the small normal equations of the fitters
 * (row-major n x n Float64Array). Pure, allocation-light, no dependencies.
 */

/** In-place Cholesky factorisation A = L L^T (lower triangle of `a` receives L). Returns false if not SPD. */
export function factorCholesky(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    for (let k = 0; k < j; k++) d -= a[j * n + k]! * a[j * n + k]!;
    if (!(d > 0) || !Number.isFinite(d)) return false;
    const ljj = Math.sqrt(d);
    a[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= a[i * n + k]! * a[j * n + k]!;
      a[i * n + j] = s / ljj;
    }
  }
  return true;
}

/** Solves L L^T x = b given the factor from factorCholesky; b is overwritten with x. */
export function solveCholeskyFactored(l: Float64Array, n: number, b: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * b[k]!;
    b[i] = s / l[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * b[k]!;
    b[i] = s / l[i * n + i]!;
  }
  return b;
}

/** Solves A x = b for SPD A (copies A and b). Returns null when A is not positive definite. */
export function solveCholesky(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array | null {
  const n = b.length;
  const l = Float64Array.from(a);
  if (!factorCholesky(l, n)) return null;
  return solveCholeskyFactored(l, n, Float64Array.from(b));
}

/** Inverse of an SPD matrix, or null. Adds a tiny ridge relative to the diagonal when needed. */
export function invertSpd(a: ArrayLike<number>, n: number): Float64Array | null {
  const l = Float64Array.from(a);
  if (!factorCholesky(l, n)) {
    let maxDiag = 0;
    for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, Math.abs(Number(a[i * n + i])));
    const ridged = Float64Array.from(a);
    for (let i = 0; i < n; i++) ridged[i * n + i] = ridged[i * n + i]! + maxDiag * 1e-10 + 1e-300;
    l.set(ridged);
    if (!factorCholesky(l, n)) return null;
  }
  const inv = new Float64Array(n * n);
  const col = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    col.fill(0);
    col[j] = 1;
    solveCholeskyFactored(l, n, col);
    for (let i = 0; i < n; i++) inv[i * n + j] = col[i]!;
  }
  return inv;
}
