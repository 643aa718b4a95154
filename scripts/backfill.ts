import { LOCAL_REGION } from '../lambdas/shared/functions.ts';
import { LOCAL_CREDENTIALS } from '../local/services/dynamodb-local.ts';
import { LOCAL_NAMES } from '../local/stack.ts';

/**
 * `npm run backfill [-- --dry-run]`: fills the workload counters and the per-value fraud link items
 * on a table that held claims before they existed (lambdas/app/backfill.ts says what and how).
 * With TABLE_NAME set it runs against that table with the ambient AWS credentials and region (an
 * operator after `cdk deploy`: docs/operations-runbook.md); without, against the stack `npm start`
 * runs (DYNAMODB_PORT as there). Prints what it changed, or would change with --dry-run.
 */
const dryRun = process.argv.includes('--dry-run');
if (!process.env.TABLE_NAME) {
  Object.assign(process.env, {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${process.env.DYNAMODB_PORT ?? 8000}`,
    TABLE_NAME: LOCAL_NAMES.table,
  });
}
// Adapters read the environment when first used, so they are loaded after it is set.
const { backfill } = await import('../lambdas/app/backfill.ts');
const report = await backfill({ dryRun });
console.log(`${dryRun ? 'Would set' : 'Set'} ${report.workload.length} workload counter(s):`);
for (const w of report.workload) console.log(`  ${w.staffId}: ${w.was ?? 'none'} → ${w.now}`);
console.log(
  `Old link entries read: ${report.links.read}; ${dryRun ? 'would add' : 'added'} under their value: ${report.links.added}`,
);
