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
  /**
   * The package.json "imports" condition that serves build-time inputs instead of sources (the
   * parsed message catalogue, the route access table: lib/lambda-inputs.ts writes them before any
   * bundle is built). Naming conditions drops esbuild's implicit `module`, so it is named too
   * (without it the AWS SDK resolves to its larger CommonJS and browser builds).
   */
  conditions: ['claims-lambda', 'module'],
  /**
   * Module swaps for the bundles only. The messages arrive parsed, so FormatJS's ICU parser (most of
   * intl-messageformat's weight) is replaced by its no-parser entry, as the web build does.
   */
  alias: {
    '@formatjs/icu-messageformat-parser': '@formatjs/icu-messageformat-parser/no-parser.js',
    /**
     * The SDK clients' default credential chain, cut to the link a function uses: the environment
     * variables Lambda sets (lambdas/runtime/lambda-credentials.ts says why and what it saves). A
     * path here is resolved from the working directory, the repo root wherever bundles are built.
     */
    '@aws-sdk/credential-provider-node': './lambdas/runtime/lambda-credentials.ts',
    /**
     * file-type's zip reader, loaded when an upload is a zip instead of at import (its fflate tables
     * and `debug` set-up took ~50 ms of VerifyUpload's cold import): lambdas/runtime/lazy-zip-handler.ts.
     */
    '@tokenizer/inflate': './lambdas/runtime/lazy-zip-handler.ts',
  },
} as const;

/** The same options as esbuild CLI arguments, for CDK's NodejsFunction (`bundling.esbuildArgs`). */
export const lambdaEsbuildArgs = (): Record<string, string | string[]> => ({
  '--conditions': LAMBDA_BUNDLE.conditions.join(','),
  '--alias': Object.entries(LAMBDA_BUNDLE.alias).map(([from, to]) => `${from}=${to}`),
});

/**
 * Whether a function runs with `NODE_OPTIONS=--enable-source-maps`, decided per function from
 * `npm run bench` (tests/bench/bundles.ts, "sourceMaps"): with the flag, Node loads the bundle's
 * map at start and maps every frame each time a stack is formatted. Measured on this machine
 * (median of 9 cold processes): import 149 → 167 ms (SubmitClaim), 126 → 186 ms (AssignClaim, the
 * workflow task sampled then, since merged into CheckClaim); import + one error 166 → 300 ms
 * (AssignClaim), 730 → 1,134 ms (ReceiveEmail, then the largest).
 * - API functions: off. Expected 4xx are thrown DomainErrors, so the mapping would be paid on
 *   ordinary requests a person is waiting for; the 500 path logs the error with a correlation id.
 * - Workflow tasks: off. They throw named errors the state machine's Retry/Catch route on, also an
 *   ordinary path.
 * - Event consumers (handlers/events: stream processor, deadline, e-mail receipt, upload check):
 *   on. Their errors are unexpected, retried in the background with nobody waiting, and the
 *   readable stack in the log is all there is to go on.
 * Every bundle still ships its map (sourceMap above), so a minified stack can be mapped afterwards.
 */
export const enableSourceMaps = (entry: string): boolean => entry.startsWith('lambdas/handlers/events/');
