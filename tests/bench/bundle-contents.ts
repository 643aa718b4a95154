import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { LAMBDA_BUNDLE } from '../../lib/bundling.ts';
import { REPO_ROOT } from '../../lib/config.ts';
import { writeLambdaInputs } from '../../lib/lambda-inputs.ts';
import { FLOOR_ENTRY, FLOOR_ID, LAMBDAS, packageOf } from './bundles.ts';

/**
 * What fills each Lambda bundle, from esbuild's metafile: `npx tsx tests/bench/bundle-contents.ts
 * [FunctionId…]` prints, per function, its size and the packages (or lambdas/ folders) that take the
 * most bytes (the top 12, or `TOP=n`); `--why=<package>` adds the import chain through our code that pulls the package in
 * (e.g. `--why=exceljs`). This is how fat imports are found before they are cut.
 */
const args = process.argv.slice(2);
const why = args.find((a) => a.startsWith('--why='))?.slice('--why='.length);
const only = args.filter((a) => !a.startsWith('--'));
const kb = (b: number) => Math.round(b / 1024);

/** The shortest chain of imports from the entry to the first input whose path contains `needle`. */
function chainTo(meta: Metafile, entry: string, needle: string): string[] | undefined {
  const previous = new Map<string, string | undefined>([[entry, undefined]]);
  const queue = [entry];
  while (queue.length > 0) {
    const current = queue.shift() as string;
    if (current.includes(needle)) {
      const chain: string[] = [];
      for (let at: string | undefined = current; at; at = previous.get(at)) chain.unshift(at);
      return chain.filter((p, i) => !p.includes('node_modules') || i === chain.length - 1);
    }
    for (const i of meta.inputs[current]?.imports ?? []) {
      if (!previous.has(i.path)) {
        previous.set(i.path, current);
        queue.push(i.path);
      }
    }
  }
  return undefined;
}

writeLambdaInputs();
for (const f of [{ id: FLOOR_ID, entry: FLOOR_ENTRY }, ...LAMBDAS]) {
  if (only.length > 0 && !only.includes(f.id)) continue;
  const result = await build({
    entryPoints: [path.join(REPO_ROOT, f.entry)],
    absWorkingDir: REPO_ROOT,
    bundle: true,
    platform: 'node',
    format: LAMBDA_BUNDLE.format,
    mainFields: [...LAMBDA_BUNDLE.mainFields],
    conditions: [...LAMBDA_BUNDLE.conditions],
    alias: { ...LAMBDA_BUNDLE.alias },
    target: LAMBDA_BUNDLE.target,
    minify: LAMBDA_BUNDLE.minify,
    write: false,
    metafile: true,
    outfile: 'bundle.mjs',
    logLevel: 'error',
  });
  const output = Object.values(result.metafile.outputs)[0];
  if (!output) continue;
  const groups = new Map<string, number>();
  for (const [p, input] of Object.entries(output.inputs)) {
    // The innermost package: a copy nested under another package counts as itself, not its host.
    const pkg = packageOf(p);
    const key = pkg ?? (p.startsWith('lambdas/') ? p.split('/').slice(0, 3).join('/') : p);
    groups.set(key, (groups.get(key) ?? 0) + input.bytesInOutput);
  }
  const top = [...groups]
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(process.env.TOP ?? 12))
    .map(([k, v]) => `${k} ${kb(v)}`);
  console.log(`${f.id}: ${kb(output.bytes)} KB — ${top.join(', ')}`);
  if (why) {
    const chain = chainTo(result.metafile, f.entry, why);
    console.log(chain ? `  ${chain.join('\n  → ')}` : `  (no ${why})`);
  }
}
