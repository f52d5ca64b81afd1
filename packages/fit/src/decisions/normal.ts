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
const A = [3.1611237438705656, 113.864154151050156, 377.485237685302021, 3209.37758913846947];
const A4 = 0.185777706184603153;
const B = [23.6012909523441209, 244.024637934444173, 1282.61652607737228, 2844.23683343917062];
// erfc on 0.46875 < |x| <= 4.
const C = [
  0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131,
  881.95222124176909, 1712.04761263407058, 2051.07837782607147, 1230.33935479799725,
];
const C8 = 2.15311535474403846e-8;
const D = [
  15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019,
  3290.79923573345963, 4362.61909014324716, 3439.36767414372164, 1230.33935480374942,
];
// erfc on |x| > 4.
const P = [
  0.305326634961232344, 0.360344899949804439, 0.125781726111229246, 0.0160837851487422766,
  6.58749161529837803e-4,
];
const P5 = 0.0163153871373020978;
const Q = [
  2.56852019228982242, 1.87295284992346047, 0.527905102951428412, 0.0605183413124413191,
  0.00233520497626869185,
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
  3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125,
  45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727,
];
const QB = [
  1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867,
  39307.89580009271061, 28729.085735721942674, 5226.495278852854561,
];
const QC = [
  1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504,
  1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833,
  7.7454501427834140764e-4,
];
const QD = [
  1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459,
  0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9,
];
const QE = [
  6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123,
  0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5,
  2.01033439929228813265e-7,
];
const QF = [
  1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525,
  7.868691311456132591e-4, 1.8463183175100546818e-5, 1.4215117583164458887e-7,
  2.04426310338993978564e-15,
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
