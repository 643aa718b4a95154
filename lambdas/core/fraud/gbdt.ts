/**
 * Small gradient-boosted decision trees for log-loss on pre-binned features (each feature is a
 * code 0..bins−1 per row; a split sends `code ≤ split` left). Histogram split finding with the
 * sibling-subtraction trick, Newton leaf values, row subsampling and early stopping on a validation
 * fold. Every node keeps its own value so a prediction can be explained path by path (Saabas).
 */

/** One tree as flat arrays; node 0 is the root, `left[i] < 0` marks a leaf. */
export interface TreeJson {
  feature: number[];
  split: number[];
  left: number[];
  right: number[];
  /** Value of every node in margin units (leaves: the prediction; inner nodes: for explanations). */
  value: number[];
}

export interface GbdtOptions {
  maxTrees: number;
  maxDepth: number;
  learningRate: number;
  /** L2 on leaf values. */
  lambda: number;
  /** Minimum hessian sum in a child. */
  minChildHessian: number;
  /** Share of rows sampled per tree. */
  subsample: number;
  /** Stop after this many trees without a validation improvement. */
  patience: number;
  seed: number;
}

export const DEFAULT_GBDT: GbdtOptions = {
  maxTrees: 400,
  maxDepth: 3,
  learningRate: 0.08,
  lambda: 5,
  minChildHessian: 3,
  subsample: 0.8,
  patience: 40,
  seed: 7,
};

export interface BinnedData {
  /** codes[f][i] = bin of row i in feature f. */
  codes: Uint8Array[];
  bins: number[];
  rows: number;
}

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Margin contribution of one tree for row `i` of binned data. */
function treeValueAt(tree: TreeJson, data: BinnedData, i: number): number {
  let node = 0;
  while (tree.left[node]! >= 0) {
    node = data.codes[tree.feature[node]!]![i]! <= tree.split[node]! ? tree.left[node]! : tree.right[node]!;
  }
  return tree.value[node]!;
}

interface Hist {
  g: Float64Array;
  h: Float64Array;
}

/**
 * Fits trees on `train` (margins start at `base`); when `valid` is given, keeps the number of trees
 * with the lowest validation log-loss. Returns the trees and the best validation log-loss.
 */
export function fitGbdt(
  train: BinnedData,
  y: Uint8Array,
  base: number,
  opts: GbdtOptions,
  valid?: { data: BinnedData; y: Uint8Array },
): { trees: TreeJson[]; validLogLoss: number } {
  const n = train.rows;
  const nf = train.codes.length;
  const offsets: number[] = [];
  let totalBins = 0;
  for (let f = 0; f < nf; f++) {
    offsets.push(totalBins);
    totalBins += train.bins[f]!;
  }
  const margin = new Float64Array(n).fill(base);
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  const validMargin = valid ? new Float64Array(valid.data.rows).fill(base) : undefined;
  const rand = rng(opts.seed);
  const trees: TreeJson[] = [];
  let best = Number.POSITIVE_INFINITY;
  let bestCount = 0;

  const buildHist = (rows: Int32Array): Hist => {
    const hist = { g: new Float64Array(totalBins), h: new Float64Array(totalBins) };
    for (let f = 0; f < nf; f++) {
      const c = train.codes[f]!;
      const off = offsets[f]!;
      for (let k = 0; k < rows.length; k++) {
        const r = rows[k]!;
        const b = off + c[r]!;
        hist.g[b]! += g[r]!;
        hist.h[b]! += h[r]!;
      }
    }
    return hist;
  };

  for (let t = 0; t < opts.maxTrees; t++) {
    const sampled: number[] = [];
    for (let i = 0; i < n; i++) {
      const p = sigmoid(margin[i]!);
      g[i] = p - y[i]!;
      h[i] = Math.max(p * (1 - p), 1e-6);
      if (opts.subsample >= 1 || rand() < opts.subsample) sampled.push(i);
    }
    const tree: TreeJson = { feature: [], split: [], left: [], right: [], value: [] };
    const addNode = (G: number, H: number): number => {
      tree.feature.push(-1);
      tree.split.push(0);
      tree.left.push(-1);
      tree.right.push(-1);
      tree.value.push((-G / (H + opts.lambda)) * opts.learningRate);
      return tree.value.length - 1;
    };
    const rootRows = Int32Array.from(sampled);
    const rootHist = buildHist(rootRows);
    let G0 = 0;
    let H0 = 0;
    for (const r of rootRows) {
      G0 += g[r]!;
      H0 += h[r]!;
    }
    type Pending = { node: number; rows: Int32Array; hist: Hist; G: number; H: number; depth: number };
    let frontier: Pending[] = [
      { node: addNode(G0, H0), rows: rootRows, hist: rootHist, G: G0, H: H0, depth: 0 },
    ];
    while (frontier.length > 0) {
      const nextFrontier: Pending[] = [];
      for (const p of frontier) {
        if (p.depth >= opts.maxDepth || p.H < 2 * opts.minChildHessian) continue;
        const parentScore = (p.G * p.G) / (p.H + opts.lambda);
        let bestGain = 1e-9;
        let bestF = -1;
        let bestSplit = -1;
        let bestGL = 0;
        let bestHL = 0;
        for (let f = 0; f < nf; f++) {
          const off = offsets[f]!;
          let GL = 0;
          let HL = 0;
          for (let b = 0; b < train.bins[f]! - 1; b++) {
            GL += p.hist.g[off + b]!;
            HL += p.hist.h[off + b]!;
            const HR = p.H - HL;
            if (HL < opts.minChildHessian) continue;
            if (HR < opts.minChildHessian) break;
            const GR = p.G - GL;
            const gain = (GL * GL) / (HL + opts.lambda) + (GR * GR) / (HR + opts.lambda) - parentScore;
            if (gain > bestGain) {
              bestGain = gain;
              bestF = f;
              bestSplit = b;
              bestGL = GL;
              bestHL = HL;
            }
          }
        }
        if (bestF < 0) continue;
        const c = train.codes[bestF]!;
        let nl = 0;
        for (let k = 0; k < p.rows.length; k++) if (c[p.rows[k]!]! <= bestSplit) nl++;
        const lRows = new Int32Array(nl);
        const rRows = new Int32Array(p.rows.length - nl);
        let li = 0;
        let ri = 0;
        for (let k = 0; k < p.rows.length; k++) {
          const r = p.rows[k]!;
          if (c[r]! <= bestSplit) lRows[li++] = r;
          else rRows[ri++] = r;
        }
        const GR = p.G - bestGL;
        const HR = p.H - bestHL;
        const l = addNode(bestGL, bestHL);
        const r = addNode(GR, HR);
        tree.feature[p.node] = bestF;
        tree.split[p.node] = bestSplit;
        tree.left[p.node] = l;
        tree.right[p.node] = r;
        if (p.depth + 1 < opts.maxDepth) {
          // build the smaller child's histogram, derive the sibling by subtraction
          const smallIsLeft = lRows.length <= rRows.length;
          const small = buildHist(smallIsLeft ? lRows : rRows);
          const big: Hist = { g: new Float64Array(totalBins), h: new Float64Array(totalBins) };
          for (let b = 0; b < totalBins; b++) {
            big.g[b] = p.hist.g[b]! - small.g[b]!;
            big.h[b] = p.hist.h[b]! - small.h[b]!;
          }
          const [lh, rh] = smallIsLeft ? [small, big] : [big, small];
          nextFrontier.push({ node: l, rows: lRows, hist: lh, G: bestGL, H: bestHL, depth: p.depth + 1 });
          nextFrontier.push({ node: r, rows: rRows, hist: rh, G: GR, H: HR, depth: p.depth + 1 });
        }
      }
      frontier = nextFrontier;
    }
    if (tree.left[0]! < 0) break; // nothing left to learn
    trees.push(tree);
    for (let i = 0; i < n; i++) margin[i] = margin[i]! + treeValueAt(tree, train, i);
    if (valid && validMargin) {
      let loss = 0;
      for (let i = 0; i < valid.data.rows; i++) {
        validMargin[i] = validMargin[i]! + treeValueAt(tree, valid.data, i);
        const z = validMargin[i]!;
        loss += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - valid.y[i]! * z;
      }
      loss /= Math.max(1, valid.data.rows);
      if (loss < best - 1e-7) {
        best = loss;
        bestCount = trees.length;
      } else if (trees.length - bestCount >= opts.patience) break;
    }
  }
  return { trees: valid ? trees.slice(0, bestCount) : trees, validLogLoss: best };
}
