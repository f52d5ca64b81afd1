/**
 * Standard normal distribution in Float64.
 * - `normalCdf` / `normalSf` use W. J. Cody's rational Chebyshev approximations of erfc
 *   (Math. Comp. 1969; netlib specfun CALERF), accurate to ~1e-16 relative, including the tails.
 * - `normalQuantile` uses Wichura's AS 241 (PPND16, Appl. Statist. 1988), ~1e-16 relative,
 *   followed by one Halley refinement step against `normalCdf`.
 */

const SQRT_PI_INV = 0.5641895835477563; // 1/sqrt(pi)
const SQRT2 = Math.SQRT2;
const LOG_SQRT_2PI = 0.9189385332046728;

// Cody 1969 coefficients: erf on |x| <= 0.46875.
const A = [3.1611237438705655, 113.86415415105016, 377.485237685302, 3209.3775891384694];
const A4 = 0.18577770618460315;
const B = [23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.236833439171];
// erfc on 0.46875 < |x| <= 4.
const C = [
  0.5641884969886701, 8.883149794388377, 66.11919063714163, 298.6351381974001, 881.952221241769,
  1712.0476126340707, 2051.0783778260716, 1230.3393547979972,
];
const C8 = 2.1531153547440383e-8;
const D = [
  15.744926110709835, 117.6939508913125, 537.1811018620099, 1621.3895745666903, 3290.7992357334597,
  4362.619090143247, 3439.3676741437216, 1230.3393548037495,
];
// erfc on |x| > 4.
const P = [
  0.30532663496123236, 0.36034489994980445, 0.12578172611122926, 0.016083785148742275,
  0.0006587491615298378,
];
const P5 = 0.016315387137302097;
const Q = [
  2.568520192289822, 1.8729528499234604, 0.5279051029514285, 0.06051834131244132,
  0.0023352049762686918,
];

/** exp(-y*y) computed as exp(-ysq^2)·exp(-del) with ysq = y truncated to 1/16 (Cody's trick against cancellation). */
function expMinusSquare(y: number): number {
  const ysq = Math.trunc(y * 16) / 16;
  const del = (y - ysq) * (y + ysq);
  return Math.exp(-ysq * ysq) * Math.exp(-del);
}

/** erf(x) for |x| <= 0.46875 (odd in x). */
function erfSmall(x: number): number {
  const ysq = Math.abs(x) > 1.11e-16 ? x * x : 0;
  let num = A4 * ysq;
  let den = ysq;
  for (let i = 0; i < 3; i++) {
    num = (num + A[i]!) * ysq;
    den = (den + B[i]!) * ysq;
  }
  return (x * (num + A[3]!)) / (den + B[3]!);
}

/** erfc(y) for y >= 0. */
function erfcNonNegative(y: number): number {
  if (y <= 0.46875) return 1 - erfSmall(y);
  if (y <= 4) {
    let num = C8 * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]!) * y;
      den = (den + D[i]!) * y;
    }
    return (expMinusSquare(y) * (num + C[7]!)) / (den + D[7]!);
  }
  if (y >= 26.543) return 0;
  const ysq = 1 / (y * y);
  let num = P5 * ysq;
  let den = ysq;
  for (let i = 0; i < 4; i++) {
    num = (num + P[i]!) * ysq;
    den = (den + Q[i]!) * ysq;
  }
  const r = (ysq * (num + P[4]!)) / (den + Q[4]!);
  return (expMinusSquare(y) * (SQRT_PI_INV - r)) / y;
}

/** Complementary error function erfc(x) = 1 - erf(x). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  return x >= 0 ? erfcNonNegative(x) : 2 - erfcNonNegative(-x);
}

/** Error function. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (Math.abs(x) <= 0.46875) return erfSmall(x);
  return x > 0 ? 1 - erfcNonNegative(x) : erfcNonNegative(-x) - 1;
}

/** Standard normal density. */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x - LOG_SQRT_2PI);
}

/** P(Z <= x) for Z ~ N(0, 1); accurate in both tails (no 1 - small cancellation). */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return 1;
  if (x === Number.NEGATIVE_INFINITY) return 0;
  return x < 0 ? 0.5 * erfcNonNegative(-x / SQRT2) : 1 - 0.5 * erfcNonNegative(x / SQRT2);
}

/** P(Z > x) = normalCdf(-x), accurate for large x. */
export function normalSf(x: number): number {
  return normalCdf(-x);
}

// Wichura AS 241 (PPND16) coefficients.
const QA = [
  3.3871328727963665, 133.14166789178438, 1971.5909503065513, 13731.69376550946, 45921.95393154987,
  67265.7709270087, 33430.57558358813, 2509.0809287301227,
];
const QB = [
  1, 42.31333070160091, 687.1870074920579, 5394.196021424751, 21213.794301586597, 39307.89580009271,
  28729.085735721943, 5226.495278852854,
];
const QC = [
  1.4234371107496835, 4.630337846156546, 5.769497221460691, 3.6478483247632045, 1.2704582524523684,
  0.2417807251774506, 0.022723844989269184, 0.0007745450142783414,
];
const QD = [
  1, 2.053191626637759, 1.6763848301838038, 0.6897673349851, 0.14810397642748008,
  0.015198666563616457, 0.0005475938084995345, 1.0507500716444169e-9,
];
const QE = [
  6.657904643501103, 5.463784911164114, 1.7848265399172913, 0.29656057182850487,
  0.026532189526576124, 0.0012426609473880784, 0.000027115555687434876, 2.0103343992922881e-7,
];
const QF = [
  1, 0.599832206555888, 0.1369298809227358, 0.014875361290850615, 0.0007868691311456133,
  0.000018463183175100548, 1.421511758316446e-7, 2.0442631033899397e-15,
];

function evaluatePolynomial(coefficients: readonly number[], x: number): number {
  let acc = 0;
  for (let i = coefficients.length - 1; i >= 0; i--) acc = acc * x + coefficients[i]!;
  return acc;
}

/** AS 241 without refinement. */
function quantileAs241(p: number): number {
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * evaluatePolynomial(QA, r)) / evaluatePolynomial(QB, r);
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  let z: number;
  if (r <= 5) {
    r -= 1.6;
    z = evaluatePolynomial(QC, r) / evaluatePolynomial(QD, r);
  } else {
    r -= 5;
    z = evaluatePolynomial(QE, r) / evaluatePolynomial(QF, r);
  }
  return q < 0 ? -z : z;
}

/**
 * The x with normalCdf(x) = p. Returns -Infinity / +Infinity at p = 0 / 1 and NaN outside [0, 1].
 * AS 241 plus one Halley step on the tail the value lives in (the step only polishes the last ulp).
 */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const x = quantileAs241(p);
  // Halley refinement on the smaller tail probability to avoid cancellation.
  const tail = x < 0 ? normalCdf(x) - p : normalSf(x) - (1 - p);
  const density = normalPdf(x);
  if (density === 0 || !Number.isFinite(tail)) return x;
  const u = (x < 0 ? tail : -tail) / density;
  const refined = x - u / (1 + 0.5 * x * u);
  return Number.isFinite(refined) ? refined : x;
}
