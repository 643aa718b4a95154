// DynamoDB Local accepts UpdateTimeToLive and reports it ENABLED, but never deletes an expired item.
// This sweeper does what DynamoDB's TTL does on AWS: from time to time it deletes, through the
// DynamoDB API, the items whose TTL attribute (a Number of epoch seconds) is in the past, so the
// table stream sees the REMOVE. Like AWS it is late by design (up to `intervalMs` here, up to days
// there): code must never rely on prompt deletion, and readers ignore expired items themselves.
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ScanCommand,
  UpdateTimeToLiveCommand,
  type UpdateTimeToLiveCommandInput,
} from '@aws-sdk/client-dynamodb';

/** Turns TTL on (once: DynamoDB refuses to enable it twice) and returns the attribute it uses. */
export async function enableTimeToLive(
  client: DynamoDBClient,
  input: UpdateTimeToLiveCommandInput,
): Promise<string> {
  const attribute = input.TimeToLiveSpecification!.AttributeName!;
  const current = await client.send(new DescribeTimeToLiveCommand({ TableName: input.TableName }));
  const status = current.TimeToLiveDescription?.TimeToLiveStatus;
  if (status === 'ENABLED' && current.TimeToLiveDescription?.AttributeName === attribute) return attribute;
  await client.send(new UpdateTimeToLiveCommand(input));
  return attribute;
}

export interface TtlSweeperOptions {
  client: DynamoDBClient;
  tableName: string;
  attribute: string;
  /** The table's key attributes (what a delete needs). */
  keyAttributes: readonly string[];
  /** Pause between sweeps (default 10 s). */
  intervalMs?: number;
  now?: () => Date;
}

export interface TtlSweeper {
  /** One sweep now; resolves with the number of items deleted. */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

export function startTtlSweeper(opts: TtlSweeperOptions): TtlSweeper {
  const now = opts.now ?? (() => new Date());
  let running: Promise<number> | undefined;
  let stopped = false;

  async function sweepOnce(): Promise<number> {
    const cutoff = String(Math.floor(now().getTime() / 1000));
    let deleted = 0;
    let start: Record<string, never> | undefined;
    do {
      const page = await opts.client.send(
        new ScanCommand({
          TableName: opts.tableName,
          FilterExpression: '#ttl < :now',
          ProjectionExpression: opts.keyAttributes.map((_, i) => `#k${i}`).join(', '),
          ExpressionAttributeNames: {
            '#ttl': opts.attribute,
            ...Object.fromEntries(opts.keyAttributes.map((k, i) => [`#k${i}`, k])),
          },
          ExpressionAttributeValues: { ':now': { N: cutoff } },
          ExclusiveStartKey: start,
        }),
      );
      for (const key of page.Items ?? []) {
        if (stopped) return deleted;
        try {
          // Re-checked on delete, as AWS does: an item whose expiry was pushed back meanwhile stays.
          await opts.client.send(
            new DeleteItemCommand({
              TableName: opts.tableName,
              Key: key,
              ConditionExpression: '#ttl < :now',
              ExpressionAttributeNames: { '#ttl': opts.attribute },
              ExpressionAttributeValues: { ':now': { N: cutoff } },
            }),
          );
          deleted += 1;
        } catch (e) {
          if (!(e instanceof ConditionalCheckFailedException)) throw e;
        }
      }
      start = page.LastEvaluatedKey as typeof start;
    } while (start && !stopped);
    return deleted;
  }

  const sweep = () => {
    running ??= sweepOnce().finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => {
    sweep().catch((e: unknown) => console.error('[ttl-sweeper] sweep failed:', e));
  }, opts.intervalMs ?? 10_000);
  timer.unref();

  return {
    sweep,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
