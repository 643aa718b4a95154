import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DirectoryEntry, DirectoryKind } from '../../core/customer-directory.ts';
import { dynamo } from '../aws-clients.ts';
import { keys } from './keys.ts';
import { under } from './query.ts';
import { tableName } from './table.ts';

/**
 * The call centre's directory (lambdas/core/customer-directory.ts): one item per searchable value
 * and customer, written in the same transaction as the policy version or profile that carries the
 * value. Items are only pointers; readers check the customer's current records.
 */
export function directoryPuts(customerId: string, entries: readonly DirectoryEntry[]) {
  return entries.map((e) => ({
    Put: {
      TableName: tableName(),
      Item: {
        ...keys.customerDirectory(e.kind, e.value, customerId),
        entity: 'CustomerDirectoryEntry',
        customerId,
      },
    },
  }));
}

/** Access pattern: customers by a phone, policy number, plate, e-mail or full name (normalised). */
export async function customersInDirectory(
  kind: DirectoryKind,
  value: string,
  limit: number,
): Promise<string[]> {
  const key = keys.customerDirectory(kind, value);
  const r = await dynamo().send(
    new QueryCommand({
      TableName: tableName(),
      ...under(key.pk, key.sk),
      ProjectionExpression: 'customerId',
      Limit: limit,
    }),
  );
  return (r.Items ?? []).map((i) => String(i.customerId));
}
