import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Policy } from '../../core/policy.ts';
import { dynamo } from '../aws-clients.ts';
import { keys, policyIndexKeys, prefixes, stripKeys } from './keys.ts';
import { tableName } from './table.ts';

/** Access pattern: policy by number. */
export async function getPolicy(policyNumber: string): Promise<Policy | undefined> {
  const r = await dynamo().send(new GetCommand({ TableName: tableName(), Key: keys.policy(policyNumber) }));
  return r.Item ? stripKeys<Policy>(r.Item) : undefined;
}

/** Access pattern: policies by customer (GSI1). */
export async function policiesByCustomer(customerId: string): Promise<Policy[]> {
  const r = await dynamo().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :sk)',
      ExpressionAttributeValues: { ':pk': `CUSTOMER#${customerId}`, ':sk': prefixes.customerPolicy },
    }),
  );
  return (r.Items ?? []).map((i) => stripKeys<Policy>(i));
}

export async function putPolicy(p: Policy): Promise<void> {
  await dynamo().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keys.policy(p.policyNumber), ...policyIndexKeys(p), entity: 'Policy', ...p },
    }),
  );
}
