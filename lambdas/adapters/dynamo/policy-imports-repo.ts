import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ImportCounts, ImportFormat, ImportRowError } from '../../core/policy-import.ts';
import { dynamo } from '../aws-clients.ts';
import { keys, policyImportIndexKeys, prefixes, stripKeys } from './keys.ts';
import { under } from './query.ts';
import { tableName } from './table.ts';

/** One policy file import: where it is up to (checkpoint) and what it did (counts). */
export interface PolicyImport {
  importId: string;
  bucket: string;
  key: string;
  etag: string;
  format?: ImportFormat;
  status: 'running' | 'completed' | 'failed';
  /** Every line up to and including this one is done; a resumed run starts after it. */
  checkpointLine: number;
  counts: ImportCounts;
  /** Invocations that worked on it (more than one: the Step Functions loop handed over). */
  chunks: number;
  startedAt: string;
  updatedAt: string;
  finishedAt?: string;
  /** Why it failed: the file (unsupported format, missing columns, file gone) or a step that failed for good. */
  failure?: ImportRowError;
}

/** Creates the import record, or returns the one this file already has (a re-delivered event). */
export async function createOrGetImport(rec: PolicyImport): Promise<PolicyImport> {
  try {
    await dynamo().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...keys.policyImport(rec.importId),
          ...policyImportIndexKeys(rec.startedAt, rec.importId),
          entity: 'PolicyImport',
          ...rec,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return rec;
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
    const existing = await getImport(rec.importId);
    if (!existing) throw e;
    return existing;
  }
}

/** Access pattern: one import by id. */
export async function getImport(importId: string): Promise<PolicyImport | undefined> {
  const r = await dynamo().send(
    new GetCommand({ TableName: tableName(), Key: keys.policyImport(importId), ConsistentRead: true }),
  );
  return r.Item ? stripKeys<PolicyImport>(r.Item) : undefined;
}

/** Access pattern: imports, newest first (GSI1 `POLICYIMPORTS`). */
export async function listImports(limit: number): Promise<PolicyImport[]> {
  const r = await dynamo().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': 'POLICYIMPORTS' },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (r.Items ?? []).map((i) => stripKeys<PolicyImport>(i));
}

/**
 * Records progress after a batch: the checkpoint only moves forward, so a stale invocation (an
 * earlier chunk retried late) cannot wind it back. False when the checkpoint was already past.
 */
export async function saveImportProgress(
  importId: string,
  fromLine: number,
  progress: Pick<PolicyImport, 'checkpointLine' | 'counts' | 'status' | 'updatedAt'> &
    Partial<Pick<PolicyImport, 'finishedAt' | 'failure' | 'format'>>,
): Promise<boolean> {
  const sets = ['checkpointLine = :cp', 'counts = :counts', '#status = :status', 'updatedAt = :now'];
  const values: Record<string, unknown> = {
    ':cp': progress.checkpointLine,
    ':counts': progress.counts,
    ':status': progress.status,
    ':now': progress.updatedAt,
    ':from': fromLine,
    ':running': 'running',
  };
  if (progress.finishedAt) {
    sets.push('finishedAt = :fin');
    values[':fin'] = progress.finishedAt;
  }
  if (progress.failure) {
    sets.push('failure = :failure');
    values[':failure'] = progress.failure;
  }
  if (progress.format) {
    sets.push('#format = :format');
    values[':format'] = progress.format;
  }
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.policyImport(importId),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: 'checkpointLine = :from AND #status = :running',
        ExpressionAttributeNames: {
          '#status': 'status',
          ...(progress.format ? { '#format': 'format' } : {}),
        },
        ExpressionAttributeValues: values,
      }),
    );
    return true;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return false;
    throw e;
  }
}

/**
 * Puts an import that stopped because a step failed for good (`failure.code`) back to running, so
 * an execution started again resumes from its checkpoint; the import as it is afterwards (unchanged
 * when it was not failed that way).
 */
export async function reopenImport(
  importId: string,
  failureCode: string,
  updatedAt: string,
): Promise<PolicyImport | undefined> {
  try {
    const r = await dynamo().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.policyImport(importId),
        UpdateExpression: 'SET #status = :running, updatedAt = :now REMOVE failure, finishedAt',
        ConditionExpression: '#status = :failed AND failure.code = :code',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':running': 'running',
          ':failed': 'failed',
          ':code': failureCode,
          ':now': updatedAt,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return r.Attributes ? stripKeys<PolicyImport>(r.Attributes) : undefined;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return getImport(importId);
    throw e;
  }
}

/** Counts one more invocation working on the import (shown in the console). */
export async function countImportChunk(importId: string): Promise<void> {
  await dynamo().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.policyImport(importId),
      UpdateExpression: 'ADD chunks :one',
      ExpressionAttributeValues: { ':one': 1 },
    }),
  );
}

type WriteRequest = { PutRequest: { Item: Record<string, unknown> } };

/** Adds lines to the error report; keyed by line, so writing them again changes nothing. */
export async function putImportErrors(importId: string, errors: readonly ImportRowError[]): Promise<void> {
  const perLine = new Map<number, number>();
  const items: WriteRequest[] = errors.map((e) => {
    const index = perLine.get(e.line) ?? 0;
    perLine.set(e.line, index + 1);
    return {
      PutRequest: {
        Item: { ...keys.policyImportError(importId, e.line, index), entity: 'PolicyImportError', ...e },
      },
    };
  });
  for (let i = 0; i < items.length; i += 25) {
    let pending = items.slice(i, i + 25);
    for (let attempt = 0; pending.length > 0 && attempt < 8; attempt++) {
      if (attempt > 0) await new Promise((res) => setTimeout(res, 20 * 2 ** attempt));
      const r = await dynamo().send(new BatchWriteCommand({ RequestItems: { [tableName()]: pending } }));
      pending = (r.UnprocessedItems?.[tableName()] ?? []) as WriteRequest[];
    }
    if (pending.length > 0) throw new Error('import error report not written (throttled)');
  }
}

/** Access pattern: an import's error report in line order, one page at a time. */
export async function importErrors(
  importId: string,
  limit: number,
  after?: Record<string, unknown>,
): Promise<{ items: ImportRowError[]; next?: Record<string, unknown> }> {
  const r = await dynamo().send(
    new QueryCommand({
      TableName: tableName(),
      ...under(keys.policyImport(importId).pk, prefixes.policyImportError),
      Limit: limit,
      ExclusiveStartKey: after,
    }),
  );
  return {
    items: (r.Items ?? []).map((i) => stripKeys<ImportRowError>(i)),
    ...(r.LastEvaluatedKey ? { next: r.LastEvaluatedKey } : {}),
  };
}
