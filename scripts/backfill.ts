import { LOCAL_ACCOUNT, LOCAL_REGION } from '../lambdas/shared/functions.ts';
import { LOCAL_CREDENTIALS } from '../local/services/dynamodb-local.ts';
import { LOCAL_NAMES } from '../local/stack.ts';

/**
 * `npm run backfill [-- --dry-run]`: fills the workload counters and the per-value fraud link items
 * on a table that held claims before they existed, points deadline schedules created before the
 * 5 December 2026 release at the current Scheduler role and dead-letter queue, and applies what
 * intake records keep to records written before it (lambdas/app/backfill.ts says what and how).
 * With TABLE_NAME set it runs against that table and the schedule group SCHEDULER_GROUP names, with
 * the ambient AWS credentials and region (an operator after `cdk deploy`, with SCHEDULER_ROLE_ARN
 * and SCHEDULER_DEAD_LETTER_ARN as the deployed functions have them: docs/operations-runbook.md);
 * without, against the stack `npm start` runs (DYNAMODB_PORT and SCHEDULER_PORT as there). Prints
 * what it changed, or would change with --dry-run.
 */
const dryRun = process.argv.includes('--dry-run');
const SCHEDULES = ['SCHEDULER_GROUP', 'SCHEDULER_ROLE_ARN', 'SCHEDULER_DEAD_LETTER_ARN'] as const;
if (!process.env.TABLE_NAME) {
  Object.assign(process.env, {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${process.env.DYNAMODB_PORT ?? 8000}`,
    AWS_ENDPOINT_URL_SCHEDULER: `http://127.0.0.1:${process.env.SCHEDULER_PORT ?? 9912}`,
    TABLE_NAME: LOCAL_NAMES.table,
    SCHEDULER_GROUP: LOCAL_NAMES.scheduleGroup,
    SCHEDULER_ROLE_ARN: `arn:aws:iam::${LOCAL_ACCOUNT}:role/${LOCAL_NAMES.schedulerRole}`,
    SCHEDULER_DEAD_LETTER_ARN: `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${LOCAL_NAMES.deadlineDeadLetters}`,
  });
} else if (SCHEDULES.some((n) => !process.env[n])) {
  console.error(
    `Set ${SCHEDULES.join(', ')} with TABLE_NAME: <stage>-claims-deadlines, ` +
      'arn:aws:iam::<account>:role/<stage>-claims-scheduler and ' +
      'arn:aws:sqs:<region>:<account>:<stage>-claims-deadline-dead-letters.',
  );
  process.exit(1);
}
// Adapters read the environment when first used, so they are loaded after it is set.
const { backfill } = await import('../lambdas/app/backfill.ts');
const report = await backfill({ dryRun });
console.log(`${dryRun ? 'Would set' : 'Set'} ${report.workload.length} workload counter(s):`);
for (const w of report.workload) console.log(`  ${w.staffId}: ${w.was ?? 'none'} → ${w.now}`);
console.log(
  `Old link entries read: ${report.links.read}; ${dryRun ? 'would add' : 'added'} under their value: ${report.links.added}`,
);
const s = report.schedules;
console.log(
  `Deadline schedules read: ${s.read}; ${dryRun ? 'would point' : 'pointed'} at the current role and dead-letter queue: ${s.repointed}; already: ${s.current}; fired or deleted meanwhile: ${s.gone}`,
);
console.log(
  `Intake records read: ${report.intake.read}; ${dryRun ? 'would trim' : 'trimmed'} to what they keep: ${report.intake.trimmed}`,
);
