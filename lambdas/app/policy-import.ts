import {
  currentPolicies,
  getPolicyVersion,
  type StoredPolicy,
  writeCurrentPolicyVersion,
} from '../adapters/dynamo/policies-repo.ts';
import {
  countImportChunk,
  createOrGetImport,
  getImport,
  importErrors,
  listImports,
  type PolicyImport,
  putImportErrors,
  reopenImport,
  saveImportProgress,
} from '../adapters/dynamo/policy-imports-repo.ts';
import { openPolicyFile } from '../adapters/policy-files.ts';
import * as z from 'zod/mini';
import { defineSchema } from '../core/define-schema.ts';
import { DomainError } from '../core/errors.ts';
import type { Policy } from '../core/policy.ts';
import { type PolicyFileItem, readPolicyFile } from '../core/policy-file-reader.ts';
import {
  addCounts,
  emptyCounts,
  type ImportCounts,
  type ImportRowError,
  importFormatOf,
  importIdOf,
  type PolicyWritePlan,
  planPolicyWrite,
  policyContentHash,
} from '../core/policy-import.ts';
import type { Clock } from '../core/time.ts';
import { cursorsFor } from './cursors.ts';

export interface ImportRequest {
  bucket: string;
  key: string;
  etag: string;
}
/** What one invocation hands to the next step of the import loop (Step Functions Choice on `done`). */
export interface ImportStep extends ImportRequest {
  importId: string;
  done: boolean;
}

/** Policy versions stored per checkpoint: the most work a crash can make the next run repeat. */
const BATCH = 200;
/** Policies written at once (DynamoDB transactions of two items each). */
const CONCURRENCY = 16;

/**
 * One invocation's share of a policy file import. Reads the file from the import's checkpoint,
 * stores policy versions in batches and moves the checkpoint after each, and stops after
 * `budgetMs` at a batch boundary with `done: false` so the next invocation resumes from there
 * (the 15-minute Lambda limit bounds an invocation, not a file). Idempotent: a repeated chunk
 * finds the versions it already wrote unchanged, and error report lines are keyed by line.
 */
export async function importPolicyChunk(
  req: ImportRequest,
  budgetMs: number,
  clock: Clock,
): Promise<ImportStep> {
  const started = Date.now();
  const importId = importIdOf(req.bucket, req.key, req.etag);
  const step = { ...req, importId };
  const now = clock.now().toISOString();
  const format = importFormatOf(req.key);
  let rec = await createOrGetImport({
    importId,
    ...req,
    ...(format ? { format } : {}),
    status: 'running',
    checkpointLine: 0,
    counts: emptyCounts(),
    chunks: 0,
    startedAt: now,
    updatedAt: now,
  });
  // An import a failed step stopped resumes from its checkpoint when the execution is started again.
  if (rec.status === 'failed' && rec.failure?.code === STEP_FAILED)
    rec = (await reopenImport(importId, STEP_FAILED, now)) ?? rec;
  if (rec.status !== 'running') return { ...step, done: true };
  await countImportChunk(importId);
  if (!format)
    return fail(
      step,
      rec,
      { line: 0, code: 'UNSUPPORTED_FORMAT', message: 'Expected .csv, .jsonl or .ndjson' },
      clock,
    );
  const body = await openPolicyFile(req.bucket, req.key, req.etag);
  if (!body)
    return fail(
      step,
      rec,
      { line: 0, code: 'FILE_NOT_FOUND', message: 'The file is gone or was replaced' },
      clock,
    );

  let checkpoint = rec.checkpointLine;
  let counts = rec.counts;
  let batch: PolicyFileItem[] = [];
  let slowest = 0;
  /** Stores the batch and moves the checkpoint; false when another run moved it first. */
  const commit = async (): Promise<boolean> => {
    const last = batch.at(-1);
    if (!last) return true;
    const delta = await storeBatch(importId, batch, clock.now().toISOString());
    const nextCounts = addCounts(counts, delta);
    const moved = await saveImportProgress(importId, checkpoint, {
      checkpointLine: last.checkpoint,
      counts: nextCounts,
      status: 'running',
      updatedAt: clock.now().toISOString(),
    });
    if (!moved) return false;
    checkpoint = last.checkpoint;
    counts = nextCounts;
    batch = [];
    return true;
  };

  try {
    for await (const item of readPolicyFile(format, body, checkpoint)) {
      if (item.kind === 'failed')
        return await fail(step, { ...rec, checkpointLine: checkpoint, counts }, item.error, clock);
      batch.push(item);
      if (batch.length < BATCH) continue;
      // Another run of the same import overtook this one: it finishes the file.
      const t = Date.now();
      if (!(await commit())) return { ...step, done: true };
      // Stop while the next batch surely fits: a slow table makes batches slower, not the budget longer.
      slowest = Math.max(slowest, Date.now() - t);
      if (Date.now() - started + 2 * slowest >= budgetMs) return { ...step, done: false };
    }
    if (!(await commit())) return { ...step, done: true };
  } finally {
    body.destroy();
  }
  const end = clock.now().toISOString();
  await saveImportProgress(importId, checkpoint, {
    checkpointLine: checkpoint,
    counts,
    status: 'completed',
    updatedAt: end,
    finishedAt: end,
  });
  return { ...step, done: true };
}

const STEP_FAILED = 'IMPORT_STEP_FAILED';

/**
 * The state machine's failure path: a step failed for good (its retries spent, or an error nothing
 * retries). The import is marked failed at its checkpoint with the error's name, so the console
 * does not show it running for ever; starting the execution again with the same input resumes it
 * ({@link importPolicyChunk}). Only the name is kept: the cause may carry internals, and is logged
 * by the step that failed.
 */
export async function recordImportFailure(
  req: ImportRequest,
  error: { Error?: string | undefined },
  clock: Clock,
): Promise<ImportStep> {
  const importId = importIdOf(req.bucket, req.key, req.etag);
  const step = { ...req, importId, done: true };
  for (let attempt = 0; attempt < 3; attempt++) {
    const rec = await getImport(importId);
    if (rec?.status !== 'running') return step;
    const end = clock.now().toISOString();
    const moved = await saveImportProgress(importId, rec.checkpointLine, {
      checkpointLine: rec.checkpointLine,
      counts: rec.counts,
      status: 'failed',
      updatedAt: end,
      finishedAt: end,
      failure: {
        line: rec.checkpointLine + 1,
        code: STEP_FAILED,
        message: `Stopped after line ${rec.checkpointLine} (${(error.Error ?? 'Error').slice(0, 100)}); start the execution again with the same input to resume`,
      },
    });
    if (moved) return step;
  }
  return step;
}

async function fail(
  step: Omit<ImportStep, 'done'>,
  rec: PolicyImport,
  failure: ImportRowError,
  clock: Clock,
) {
  const end = clock.now().toISOString();
  await putImportErrors(step.importId, [failure]);
  await saveImportProgress(step.importId, rec.checkpointLine, {
    checkpointLine: rec.checkpointLine,
    counts: rec.counts,
    status: 'failed',
    updatedAt: end,
    finishedAt: end,
    failure,
  });
  return { ...step, done: true };
}

/** Stores one batch: versions of the same policy in file order, different policies in parallel. */
async function storeBatch(
  importId: string,
  items: readonly PolicyFileItem[],
  recordedAt: string,
): Promise<ImportCounts> {
  const delta = emptyCounts();
  const errors: ImportRowError[] = [];
  const byNumber = new Map<string, { policy: Policy; line: number }[]>();
  for (const item of items) {
    delta.rows += item.rows;
    if (item.kind === 'rejected') {
      delta.rejected += 1;
      errors.push(...item.errors);
    } else if (item.kind === 'policy') {
      const list = byNumber.get(item.policy.policyNumber) ?? [];
      list.push({ policy: item.policy, line: item.lines[0] ?? 0 });
      byNumber.set(item.policy.policyNumber, list);
    }
  }
  const current = await currentPolicies([...byNumber.keys()]);
  const work = [...byNumber.entries()];
  let next = 0;
  const worker = async () => {
    while (next < work.length) {
      const [number, versions] = work[next++] as (typeof work)[number];
      let stored = current.get(number);
      for (const v of versions) {
        const r = await storeVersion(importId, v.policy, stored, recordedAt);
        if (r.outcome === 'reject') {
          delta.rejected += 1;
          errors.push({ line: v.line, code: r.code, message: r.message, policyNumber: number });
        } else delta[r.outcome] += 1;
        stored = r.stored;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, work.length) }, worker));
  if (errors.length > 0) await putImportErrors(importId, errors);
  return delta;
}

type VersionResult =
  | { outcome: 'created' | 'replaced' | 'unchanged'; stored: StoredPolicy | undefined }
  | {
      outcome: 'reject';
      code: Extract<PolicyWritePlan, { kind: 'reject' }>['code'] | 'WRITE_REFUSED';
      message: string;
      stored: StoredPolicy | undefined;
    };

/**
 * Plans and writes one policy version; a lost race re-reads the policy and plans again. A write the
 * table refuses as invalid (WRITE_REFUSED) is this version's error: the batch goes on without it,
 * rather than failing the chunk and stopping the file at the same row on every run.
 */
async function storeVersion(
  importId: string,
  policy: Policy,
  known: StoredPolicy | undefined,
  recordedAt: string,
): Promise<VersionResult> {
  const contentHash = policyContentHash(policy);
  let current = known;
  for (let attempt = 0; attempt < 4; attempt++) {
    const older =
      current && policy.version < current.policy.version
        ? (await getPolicyVersion(policy.policyNumber, policy.version))?.contentHash
        : undefined;
    const plan = planPolicyWrite(
      current && {
        version: current.policy.version,
        contentHash: current.contentHash,
        customerId: current.policy.customerId,
      },
      policy,
      contentHash,
      older,
    );
    switch (plan.kind) {
      case 'unchanged':
        return { outcome: 'unchanged', stored: current };
      case 'reject':
        return { outcome: 'reject', code: plan.code, message: plan.message, stored: current };
      case 'create':
      case 'replace': {
        // What changed is worked out from the stored versions when they are read (policyVersions).
        const meta = { contentHash, importId, recordedAt };
        const r = await writeCurrentPolicyVersion(policy, meta, current?.policy.version);
        if (r.kind === 'written')
          return {
            outcome: plan.kind === 'create' ? 'created' : 'replaced',
            stored: { policy, ...meta },
          };
        if (r.kind === 'refused') return refused(r.reason, current);
        break;
      }
    }
    current = (await currentPolicies([policy.policyNumber])).get(policy.policyNumber);
  }
  throw new Error(`Policy ${policy.policyNumber}: kept losing the race to other writers`);
}

const refused = (reason: string, stored: StoredPolicy | undefined): VersionResult => ({
  outcome: 'reject',
  code: 'WRITE_REFUSED',
  message: `The table refused this version: ${reason}`,
  stored,
});

/** Imports, newest first, for the console's list. */
export async function recentPolicyImports(limit: number) {
  return { items: await listImports(limit) };
}

const ErrorPosition = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({ sk: z.string().check(z.regex(/^ERR#\d{10}#\d{2}$/)) }),
);

/**
 * One import with a page of its error report (line order); `nextCursor` is signed for this caller
 * and this import.
 */
export async function policyImportReport(callerId: string, importId: string, limit: number, cursor?: string) {
  const rec = await getImport(importId);
  if (!rec) throw new DomainError('POLICY_IMPORT_NOT_FOUND', 'Import not found');
  const cursors = cursorsFor(callerId, 'policy-import-errors', { importId });
  const start = cursors.open(cursor, (p) => ErrorPosition.parse(p));
  const page = await importErrors(importId, limit, start && { pk: `POLICYIMPORT#${importId}`, sk: start.sk });
  return {
    import: rec,
    errors: page.items,
    nextCursor: cursors.seal(page.next ? { sk: String(page.next.sk) } : undefined),
  };
}
