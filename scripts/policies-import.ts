import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { LOCAL_REGION } from '../lambdas/shared/functions.ts';
import { POLICY_IMPORT_PREFIX } from '../lambdas/task-functions.ts';
import { LOCAL_CREDENTIALS } from '../local/services/dynamodb-local.ts';
import { LOCAL_NAMES } from '../local/stack.ts';

/**
 * `npm run policies:import -- file.csv|file.jsonl`: drops a policy file into the import bucket of
 * the stack `npm start` runs (S3_PORT, DYNAMODB_PORT as there), exactly as the policy
 * administration system would on AWS; the stack starts the policy-import state machine, which runs
 * the ImportPolicies handler. Waits for the import and prints its counts and error report.
 */
const file = process.argv[2];
if (!file) {
  console.error('usage: npm run policies:import -- <file.csv|file.jsonl>');
  process.exit(2);
}
Object.assign(process.env, {
  AWS_REGION: LOCAL_REGION,
  AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${process.env.S3_PORT ?? 4569}`,
  AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${process.env.DYNAMODB_PORT ?? 8000}`,
  TABLE_NAME: LOCAL_NAMES.table,
});
// Adapters read the environment when first used, so they are loaded after it is set.
const { s3 } = await import('../lambdas/adapters/aws-clients.ts');
const { getImport, importErrors } = await import('../lambdas/adapters/dynamo/policy-imports-repo.ts');
const { importIdOf } = await import('../lambdas/core/policy-import.ts');

const bucket = LOCAL_NAMES.policyImportsBucket;
const key = `${POLICY_IMPORT_PREFIX}${new Date().toISOString().replace(/[:.]/g, '-')}-${path.basename(file)}`;
const { size } = await stat(file);
// Streamed from disk: the file is never read whole into memory here either.
const put = await s3().send(
  new PutObjectCommand({ Bucket: bucket, Key: key, Body: createReadStream(file), ContentLength: size }),
);
const importId = importIdOf(bucket, key, put.ETag ?? '');
console.log(`uploaded ${file} (${size} bytes) as s3://${bucket}/${key}; import ${importId}`);

const started = Date.now();
for (;;) {
  const rec = await getImport(importId);
  if (rec && rec.status !== 'running') {
    console.log(`${rec.status} in ${((Date.now() - started) / 1000).toFixed(1)} s:`, rec.counts);
    const errors = await importErrors(importId, 50);
    for (const e of errors.items)
      console.log(`  line ${e.line}: ${e.code}${e.field ? ` ${e.field}` : ''} - ${e.message}`);
    if (errors.next) console.log('  … more in the console (Admin → Policy imports)');
    process.exit(rec.status === 'completed' ? 0 : 1);
  }
  if (rec) process.stdout.write(`\r  line ${rec.checkpointLine}, ${rec.counts.rows} rows…`);
  await new Promise((r) => setTimeout(r, 500));
}
