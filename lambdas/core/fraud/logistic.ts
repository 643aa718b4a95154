/**
 * L2-regularised, class-weighted logistic regression on a sparse design matrix, fitted with L-BFGS.
 * Written here rather than pulled from a library because it is ~100 lines, must run in a Lambda
 * without native code, and the model must stay a plain JSON of coefficients.
 */

/** Rows in compressed sparse row form (row i's entries are ptr[i]..ptr[i+1]). */
export interface SparseRows {
  ptr: Int32Array;
  idx: Int32Array;
  val: Float64Array;
  cols: number;
}

export interface LogisticFit {
  weights: Float64Array;
  intercept: number;
  iterations: number;
}

export interface LogisticOptions {
  /** L2 penalty on the mean weighted loss (the intercept is not penalised). */
  l2: number;
  /** Per-row weights (class weighting); defaults to 1. */
  rowWeights?: Float64Array;
  maxIterations?: number;
  /** Warm start. */
  init?: { weights: Float64Array; intercept: number };
}

/** Linear predictor of every row. */
export function linearPredictor(x: SparseRows, w: Float64Array, b: number): Float64Array {
  const n = x.ptr.length - 1;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = b;
    for (let k = x.ptr[i]!; k < x.ptr[i + 1]!; k++) z += w[x.idx[k]!]! * x.val[k]!;
    out[i] = z;
  }
  return out;
}

/** Fits the model; y is 0/1. Deterministic for the same input. */
export function fitLogistic(x: SparseRows, y: Uint8Array, opts: LogisticOptions): LogisticFit {
  const n = y.length;
  const d = x.cols;
  const p = d + 1; // last parameter is the intercept
  const rw = opts.rowWeights ?? new Float64Array(n).fill(1);
  let totalW = 0;
  for (let i = 0; i < n; i++) totalW += rw[i]!;
  const theta = new Float64Array(p);
  if (opts.init) {
    theta.set(opts.init.weights);
    theta[d] = opts.init.intercept;
  } else {
    let pos = 0;
    for (let i = 0; i < n; i++) pos += y[i]! * rw[i]!;
    const rate = Math.min(1 - 1e-6, Math.max(1e-6, pos / totalW));
    theta[d] = Math.log(rate / (1 - rate));
  }

  const grad = new Float64Array(p);
  const evaluate = (t: Float64Array, g: Float64Array): number => {
    g.fill(0);
    let loss = 0;
    const b = t[d]!;
    for (let i = 0; i < n; i++) {
      const s = x.ptr[i]!;
      const e = x.ptr[i + 1]!;
      let z = b;
      for (let k = s; k < e; k++) z += t[x.idx[k]!]! * x.val[k]!;
      const wi = rw[i]!;
      // log(1+e^z) − y·z and σ(z) from one exp, computed stably
      const ez = Math.exp(-Math.abs(z));
      loss += wi * (Math.max(z, 0) + Math.log1p(ez) - y[i]! * z);
      const r = wi * ((z >= 0 ? 1 / (1 + ez) : ez / (1 + ez)) - y[i]!);
      for (let k = s; k < e; k++) g[x.idx[k]!]! += r * x.val[k]!;
      g[d]! += r;
    }
    let reg = 0;
    for (let j = 0; j < d; j++) {
      g[j] = g[j]! / totalW + opts.l2 * t[j]!;
      reg += t[j]! * t[j]!;
    }
    g[d] = g[d]! / totalW;
    return loss / totalW + 0.5 * opts.l2 * reg;
  };

  const m = 8;
  const sHist: Float64Array[] = [];
  const yHist: Float64Array[] = [];
  const rho: number[] = [];
  let f = evaluate(theta, grad);
  const maxIt = opts.maxIterations ?? 150;
  const dir = new Float64Array(p);
  const next = new Float64Array(p);
  const nextGrad = new Float64Array(p);
  const alpha = new Float64Array(m);
  let it = 0;
  for (; it < maxIt; it++) {
    let gmax = 0;
    for (let j = 0; j < p; j++) gmax = Math.max(gmax, Math.abs(grad[j]!));
    if (gmax < 1e-4) break; // the loss is a mean, so this is tight enough for ranking
    // two-loop recursion: dir = −H·grad
    dir.set(grad);
    for (let h = sHist.length - 1; h >= 0; h--) {
      let dot = 0;
      for (let j = 0; j < p; j++) dot += sHist[h]![j]! * dir[j]!;
      alpha[h] = rho[h]! * dot;
      for (let j = 0; j < p; j++) dir[j] = dir[j]! - alpha[h]! * yHist[h]![j]!;
    }
    let gamma = 1;
    if (sHist.length > 0) {
      const last = sHist.length - 1;
      let sy = 0;
      let yy = 0;
      for (let j = 0; j < p; j++) {
        sy += sHist[last]![j]! * yHist[last]![j]!;
        yy += yHist[last]![j]! * yHist[last]![j]!;
      }
      gamma = sy / yy;
    } else {
      let gn = 0;
      for (let j = 0; j < p; j++) gn += grad[j]! * grad[j]!;
      gamma = 1 / Math.max(1, Math.sqrt(gn));
    }
    for (let j = 0; j < p; j++) dir[j] = dir[j]! * gamma;
    for (let h = 0; h < sHist.length; h++) {
      let dot = 0;
      for (let j = 0; j < p; j++) dot += yHist[h]![j]! * dir[j]!;
      const beta = rho[h]! * dot;
      for (let j = 0; j < p; j++) dir[j] = dir[j]! + sHist[h]![j]! * (alpha[h]! - beta);
    }
    for (let j = 0; j < p; j++) dir[j] = -dir[j]!;
    let slope = 0;
    for (let j = 0; j < p; j++) slope += dir[j]! * grad[j]!;
    if (slope >= 0) {
      // not a descent direction: restart from steepest descent
      sHist.length = 0;
      yHist.length = 0;
      rho.length = 0;
      for (let j = 0; j < p; j++) dir[j] = -grad[j]!;
      slope = 0;
      for (let j = 0; j < p; j++) slope -= grad[j]! * grad[j]!;
    }
    // backtracking line search (Armijo)
    let step = 1;
    let fNext = Number.POSITIVE_INFINITY;
    for (let ls = 0; ls < 30; ls++) {
      for (let j = 0; j < p; j++) next[j] = theta[j]! + step * dir[j]!;
      fNext = evaluate(next, nextGrad);
      if (fNext <= f + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(fNext < f)) break;
    const s = new Float64Array(p);
    const yv = new Float64Array(p);
    let sy = 0;
    for (let j = 0; j < p; j++) {
      s[j] = next[j]! - theta[j]!;
      yv[j] = nextGrad[j]! - grad[j]!;
      sy += s[j]! * yv[j]!;
    }
    const converged = f - fNext < 1e-10 * Math.max(1, Math.abs(f));
    theta.set(next);
    grad.set(nextGrad);
    f = fNext;
    if (converged) break;
    if (sy > 1e-12) {
      if (sHist.length === m) {
        sHist.shift();
        yHist.shift();
        rho.shift();
      }
      sHist.push(s);
      yHist.push(yv);
      rho.push(1 / sy);
    }
  }
  return { weights: theta.slice(0, d), intercept: theta[d]!, iterations: it };
}
