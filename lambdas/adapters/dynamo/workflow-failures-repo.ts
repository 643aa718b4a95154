import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { WorkflowFailure } from '../../core/workflow-failures.ts';
import { dynamo } from '../aws-clients.ts';
import { keys, stripKeys } from './keys.ts';
import { tableName } from './table.ts';
import { queryAll, under } from './query.ts';

/**
 * A workflow failure on its claim's partition (`WORKFLOWFAILURE#<execution>`, one per execution),
 * listed for supervisors through the sparse GSI2 entry `WORKFLOW#FAILED` (oldest first) until one
 * acknowledges it.
 */
export interface StoredWorkflowFailure extends WorkflowFailure {
  claimId: string;
  acknowledged?: { by: string; at: string; note: string };
}

const OPEN = 'WORKFLOW#FAILED';
const failureKey = (claimId: string, executionName: string) => ({
  pk: keys.claim(claimId).pk,
  sk: `WORKFLOWFAILURE#${executionName}`,
});

/** Writes the failure once: a retried compensation finds it there (false) and writes nothing. */
export async function putWorkflowFailure(f: StoredWorkflowFailure): Promise<boolean> {
  try {
    await dynamo().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...failureKey(f.claimId, f.executionName),
          gsi2pk: OPEN,
          gsi2sk: `${f.failedAt}#${f.claimId}`,
          entity: 'WorkflowFailure',
          ...f,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return false;
    throw e;
  }
}

/** Access pattern: workflow failures nobody has acknowledged yet, oldest first. */
export async function openWorkflowFailures(limit = 100): Promise<StoredWorkflowFailure[]> {
  const r = await dynamo().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': OPEN },
      Limit: limit,
    }),
  );
  return (r.Items ?? []).map((i) => stripKeys<StoredWorkflowFailure>(i));
}

/** Access pattern: a claim's workflow failures (acknowledged or not). */
export function workflowFailuresOfClaim(claimId: string): Promise<StoredWorkflowFailure[]> {
  return queryAll<StoredWorkflowFailure>({
    ...under(keys.claim(claimId).pk, 'WORKFLOWFAILURE#'),
    ConsistentRead: true,
  });
}

/** Takes one failure off the open list; false when somebody acknowledged it first. */
export async function acknowledgeFailure(
  claimId: string,
  executionName: string,
  ack: { by: string; at: string; note: string },
): Promise<boolean> {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: failureKey(claimId, executionName),
        UpdateExpression: 'SET acknowledged = :ack REMOVE gsi2pk, gsi2sk',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(acknowledged)',
        ExpressionAttributeValues: { ':ack': ack },
      }),
    );
    return true;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return false;
    throw e;
  }
}
