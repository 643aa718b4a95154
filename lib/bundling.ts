/**
 * How every Lambda is bundled, defined once: CDK's NodejsFunction (lib/claims-function.ts) and the
 * bundle benchmark (tests/bench/bundles.ts) both read it, so what is measured is what ships.
 */
export const LAMBDA_BUNDLE = {
  format: 'esm',
  mainFields: ['module', 'main'],
  // CommonJS dependencies bundled into ESM still call require().
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
  target: 'node22',
  minify: true,
  sourceMap: true,
} as const;
