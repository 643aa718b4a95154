import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  BUDGETS_FILE,
  bundleAll,
  duplicatePackages,
  overBudget,
  PINNED_FAMILIES,
  readBudgets,
} from './bundles.ts';
import { CUSTOMER_JS_BUDGET, customerJsFigures, kb, overWebBudget } from './web-bundles.ts';

/**
 * `npm run check:bundles` (in CI): every Lambda bundle, built as CDK builds it, fits its budget in
 * tests/bench/bundle-budgets.json. A budget more than SLACK above its bundle fails too, so budgets
 * follow bundles down as they shrink and are never left loose. `-- --write` records the current
 * sizes (+ SLACK) for functions that have no budget yet or whose bundle shrank. A bundle carrying two
 * copies of an SDK, Smithy or Powertools package fails as well, whatever its size (`PINNED_FAMILIES`).
 *
 * First, the customer app's JavaScript (built into web/dist/customer as `npm run build:web` does)
 * against its fixed 60 KB gzip budget (tests/bench/web-bundles.ts); `-- --web` checks only that.
 */
const SLACK = 1.05;
const write = process.argv.includes('--write');

const web = await customerJsFigures();
const perLocale = Object.entries(web.byLocale)
  .map(([l, n]) => `${l} ${kb(n)}`)
  .join(', ');
console.log(
  `customer app JS, KB gzip: ${perLocale} (budget ${kb(CUSTOMER_JS_BUDGET)} each); initial ${kb(web.initial)}, all scripts ${kb(web.all)}`,
);
const webProblems = overWebBudget(web);
if (webProblems.length > 0) {
  console.error(webProblems.join('\n'));
  process.exitCode = 1;
}
if (process.argv.includes('--web')) process.exit();

const dir = await mkdtemp(path.join(tmpdir(), 'claims-bundle-check-'));
try {
  const { floor, functions } = await bundleAll(dir);
  const budgets = await readBudgets().catch(() => ({}) as Record<string, number>);
  const loose = functions.filter((f) => {
    const budget = budgets[f.id];
    return budget !== undefined && budget > Math.ceil((f.bytes / 1024) * SLACK) + 1;
  });
  if (write) {
    const next: Record<string, number> = {};
    for (const f of [...functions].sort((a, b) => a.id.localeCompare(b.id))) {
      const fitted = Math.ceil((f.bytes / 1024) * SLACK);
      const current = budgets[f.id];
      // Never raised silently: a bundle over its budget keeps the old budget and fails below.
      next[f.id] = current === undefined || fitted < current ? fitted : current;
    }
    await writeFile(BUDGETS_FILE, `${JSON.stringify(next, null, 2)}\n`);
    Object.assign(budgets, next);
  }
  const problems = [
    ...overBudget(functions, budgets),
    ...[floor, ...functions].flatMap((f) =>
      duplicatePackages(f, PINNED_FAMILIES).map(
        (d) => `${f.id}: two copies of ${d} (align the versions, or an npm override)`,
      ),
    ),
    ...(write
      ? []
      : loose.map(
          (f) =>
            `${f.id}: budget ${budgets[f.id]} KB is loose for ${Math.ceil(f.bytes / 1024)} KB (lower it: npm run check:bundles -- --write)`,
        )),
  ];
  const kb = (b: number) => Math.round(b / 1024);
  const otherCopies = functions.filter((f) => duplicatePackages(f).length > 0).map((f) => f.id);
  if (otherCopies.length > 0)
    console.log(`duplicate packages outside the pinned families (reported only): ${otherCopies.join(', ')}`);
  console.log(
    `floor ${kb(floor.bytes)} KB; ${functions.length} functions; largest ${Math.max(...functions.map((f) => kb(f.bytes)))} KB`,
  );
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    process.exitCode = 1;
  } else console.log('every bundle fits its budget');
} finally {
  await rm(dir, { recursive: true, force: true });
}
