import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { once } from 'node:events';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { s3 } from '../../lambdas/adapters/aws-clients.ts';
import { getImport } from '../../lambdas/adapters/dynamo/policy-imports-repo.ts';
import { handler } from '../../lambdas/handlers/workflow/import-policies.ts';
import type { ImportStep } from '../../lambdas/app/policy-import.ts';
import { importIdOf } from '../../lambdas/core/policy-import.ts';
import { lambdaContext } from '../../local/lambda-runtime.ts';
import { csvFile, motorRow } from '../helpers/policy-files.ts';

/**
 * BENCH_POLICIES policies (default 100,000; one cover row each) in one CSV through the production
 * ImportPolicies handler against the local stand-ins, called in a loop as the state machine does
 * (each call with a Lambda context of BENCH_CHUNK_SECONDS, default 60, so the checkpoint/resume
 * path is exercised). Run in its own process by run.ts so its peak RSS is the importer's; the file
 * is generated to disk and uploaded streamed. Prints one JSON line.
 */
const N = Number(process.env.BENCH_POLICIES ?? 100_000);
const CHUNK_SECONDS = Number(process.env.BENCH_CHUNK_SECONDS ?? 60);
const run = Date.now().toString(36).toUpperCase();

const dir = await mkdtemp(path.join(tmpdir(), 'claims-policies-'));
try {
  const file = path.join(dir, 'policies.csv');
  const out = createWriteStream(file);
  const header = csvFile([]);
  out.write(header);
  for (let i = 0; i < N; i++) {
    const row = csvFile([
      motorRow(`BEN-${run}-${String(i).padStart(7, '0')}`, `CUS-BENCH-${i % 5000}`, {
        vehicle_plate: `30A-${String(i % 1000).padStart(3, '0')}.${String(i % 100).padStart(2, '0')}`,
        sum_insured: 300_000_000 + (i % 400) * 1_000_000,
      }),
    ]).slice(header.length);
    if (!out.write(row)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  const { size } = await stat(file);
  const bucket = process.env.POLICY_IMPORTS_BUCKET as string;
  // Outside `incoming/`, so the stack does not start its own execution: this process drives the loop.
  const key = `bench/policies-${run}.csv`;
  const put = await s3().send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: createReadStream(file), ContentLength: size }),
  );
  const input = { bucket, key, etag: put.ETag ?? '' };
  const t0 = performance.now();
  let chunks = 0;
  for (;;) {
    chunks += 1;
    const step = (await handler(
      input,
      lambdaContext('bench-import-policies', CHUNK_SECONDS * 1000),
    )) as ImportStep;
    if (step.done) break;
  }
  const seconds = (performance.now() - t0) / 1000;
  const rec = await getImport(importIdOf(bucket, key, input.etag));
  console.log(
    JSON.stringify({
      policies: N,
      fileMB: Math.round(size / 1e5) / 10,
      status: rec?.status,
      counts: rec?.counts,
      chunks,
      seconds: Math.round(seconds * 10) / 10,
      rowsPerSecond: Math.round(N / seconds),
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
