import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../aws-clients.ts';
import { stripKeys } from './keys.ts';
import { tableName } from './table.ts';

/** A query on the table without its name and resume key: `queryAll` supplies both. */
export type TableQuery = Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>;

/** The key condition "partition `pk`, sort keys starting with `skPrefix`", for `queryAll` and single pages. */
export const under = (pk: string, skPrefix: string) => ({
  KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
  ExpressionAttributeValues: { ':pk': pk, ':sk': skPrefix },
});

/**
 * Every item a query matches, page after page, in key order — for partitions that are bounded by
 * their nature (a claim's events, a policy's versions, the staff list). Items come back without
 * their key attributes, or as `map` makes them.
 */
export async function queryAll<T>(
  query: TableQuery,
  map: (item: Record<string, unknown>) => T = (i) => stripKeys<T>(i),
): Promise<T[]> {
  const out: T[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await dynamo().send(
      new QueryCommand({ ...query, TableName: tableName(), ExclusiveStartKey: start }),
    );
    out.push(...(r.Items ?? []).map(map));
    start = r.LastEvaluatedKey;
  } while (start);
  return out;
}
