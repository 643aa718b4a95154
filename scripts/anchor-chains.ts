import { LOCAL_REGION } from '../lambdas/shared/functions.ts';
import { LOCAL_CREDENTIALS } from '../local/services/dynamodb-local.ts';
import { startKmsLocal } from '../local/services/kms.ts';
import { LOCAL_NAMES } from '../local/stack.ts';

/**
 * `npm run anchor-chains [-- --dry-run]`: anchors the audit chains written before anchoring
 * existed (lambdas/app/anchor-existing-chains.ts says what and how). With TABLE_NAME set it runs
 * against that table and the key AUDIT_KEY_ID names, with the ambient AWS credentials and region
 * (an operator after `cdk deploy`, with kms:GenerateMac on the audit key for this run:
 * docs/operations-runbook.md); without, against the stack `npm start` runs (DYNAMODB_PORT as
 * there, and a KMS stand-in of its own: local key material follows from the alias).
 */
const dryRun = process.argv.includes('--dry-run');
let stopKms = async () => {};
if (!process.env.TABLE_NAME) {
  const kms = await startKmsLocal({ aliases: [LOCAL_NAMES.auditKeyAlias] });
  stopKms = kms.stop;
  Object.assign(process.env, {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${process.env.DYNAMODB_PORT ?? 8000}`,
    AWS_ENDPOINT_URL_KMS: kms.endpoint,
    TABLE_NAME: LOCAL_NAMES.table,
    AUDIT_KEY_ID: kms.keyArn(LOCAL_NAMES.auditKeyAlias),
  });
} else if (!process.env.AUDIT_KEY_ID) {
  console.error(
    'Set AUDIT_KEY_ID to the audit anchor key (alias/<stage>-claims-audit-anchors) with TABLE_NAME.',
  );
  process.exit(1);
}
// Adapters read the environment when first used, so they are loaded after it is set.
const { anchorExistingChains } = await import('../lambdas/app/anchor-existing-chains.ts');
const { systemClock } = await import('../lambdas/core/time.ts');
try {
  const report = await anchorExistingChains(systemClock, { dryRun });
  console.log(
    `${dryRun ? 'Would anchor' : 'Anchored'} ${report.anchored} chain(s); already anchored: ${report.alreadyAnchored}`,
  );
  for (const b of report.broken)
    console.log(`  NOT anchored, does not verify: ${b.chain} at #${b.brokenAt} (${b.reason})`);
  if (report.broken.length > 0) process.exitCode = 2;
} finally {
  await stopKms();
}
