// The local counterpart of the Lambda event source mapping on the table's stream: reads DynamoDB
// Local's stream with the real DynamoDB Streams client, applies the same filter as CDK (INSERTs of
// a streamed `entity` (claim events, workflow signals), lib/stateless-stack.ts addClaimEventStreamTrigger) and hands batches to a
// callback in the exact shape Lambda delivers (a DynamoDBStreamEvent).
//
// Like the event source mapping: records of a shard are delivered in order, a batch whose
// callback reports `batchItemFailures` (or throws) is retried from the lowest failed record, and a
// record that keeps failing is dropped after `maxAttempts` (on AWS it would go to the on-failure
// destination). Child shards are read only once their parent is exhausted.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DescribeTableCommand, DynamoDBClient, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  type AttributeValue,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
  type ShardIteratorType,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent, AttributeValue as LambdaAttributeValue } from 'aws-lambda';
import {
  ANCHOR_STREAM_FILTER,
  isAnchoredImage,
  isStreamedImage,
  STREAM_FILTER,
} from '../lambdas/shared/table-definition.ts';

/** A record as Lambda delivers it (aws-lambda's DynamoDBRecord, attribute values as JSON). */
export type LambdaStreamRecord = DynamoDBRecord & {
  dynamodb: NonNullable<DynamoDBRecord['dynamodb']> & {
    Keys: Record<string, LambdaAttributeValue>;
    SequenceNumber: string;
  };
};

export interface LambdaStreamEvent extends DynamoDBStreamEvent {
  Records: LambdaStreamRecord[];
}

export interface StreamPollerOptions {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  tableName: string;
  /** The function: returns `{ batchItemFailures: [{ itemIdentifier }] }` or throws to fail the batch. */
  onBatch: (event: LambdaStreamEvent) => Promise<unknown>;
  /** Records per callback (default 100). */
  batchSize?: number;
  /** Pause between polls when the stream is quiet (default 100 ms). */
  intervalMs?: number;
  /**
   * Where to start in the shards open at start: `LATEST` (default; a restarted `npm start` on a
   * kept database does not replay old events) or `TRIM_HORIZON`. Shards that appear later are
   * always read from their beginning.
   */
  startAt?: 'LATEST' | 'TRIM_HORIZON';
  /** Deliveries of a failing record before it is dropped (default 5, as `retryAttempts` in CDK). */
  maxAttempts?: number;
  /**
   * Keep each shard's position here (JSON), saved after every batch the callback accepted: a
   * restarted poller resumes after the last record handled, so a crash mid-batch redelivers that
   * batch (at least once, as Lambda does) and nothing written meanwhile is skipped. When the file
   * exists, shards it does not know are read from their beginning.
   */
  checkpointFile?: string;
  /** Which records reach the callback (default: the CDK filter). */
  filter?: (r: _Record) => boolean;
  log?: (message: string, error?: unknown) => void;
}

export interface StreamPoller {
  streamArn: string;
  /** Resolves once a full poll that started after the call found nothing new and no callback runs. */
  idle(timeoutMs?: number): Promise<void>;
  /**
   * Holds delivery back (records wait in the stream, as they would behind a throttled or disabled
   * event source mapping) until `resume()`: the throughput benchmark measures the API alone with it.
   */
  pause(): Promise<void>;
  resume(): void;
  stop(): Promise<void>;
}

/** The CDK event source filter's rule (lambdas/shared/table-definition.ts STREAM_FILTER), applied locally. */
export const isStreamedInsert = (r: _Record): boolean =>
  r.eventName === 'INSERT' &&
  isStreamedImage(
    r.dynamodb?.NewImage?.[STREAM_FILTER.entityAttribute]?.S,
    r.dynamodb?.NewImage?.[STREAM_FILTER.typeAttribute]?.S,
  );

/** The audit anchoring mapping's rule (ANCHOR_STREAM_FILTER): INSERTs of audit chain events. */
export const isAnchoredInsert = (r: _Record): boolean =>
  r.eventName === 'INSERT' &&
  isAnchoredImage(r.dynamodb?.NewImage?.[ANCHOR_STREAM_FILTER.entityAttribute]?.S);

interface ShardState {
  id: string;
  parentId?: string;
  iterator?: string;
  /** Last sequence number read, to resume after an expired iterator. */
  lastSeq?: string;
  started: boolean;
  /** No more records will come (closed shard read to its end). */
  exhausted: boolean;
  /** Records read and filtered but not yet delivered successfully. */
  pending: LambdaStreamRecord[];
  attempts: number;
  firstType: ShardIteratorType;
}

const REFRESH_EVERY_POLLS = 20;
/** A shard read to its end, in the checkpoint file. */
const SHARD_DONE = 'END';

async function loadCheckpoint(file: string | undefined): Promise<Map<string, string> | undefined> {
  if (!file) return undefined;
  try {
    const raw = JSON.parse(await readFile(file, 'utf8')) as { shards?: Record<string, string> };
    return new Map(Object.entries(raw.shards ?? {}));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const { endpoint, region, credentials, tableName } = options;
  const batchSize = options.batchSize ?? 100;
  const intervalMs = options.intervalMs ?? 100;
  const maxAttempts = options.maxAttempts ?? 5;
  const filter = options.filter ?? isStreamedInsert;
  const log = options.log ?? ((m: string, e?: unknown) => console.error(`[stream-poller] ${m}`, e ?? ''));
  const dynamodb = new DynamoDBClient({ endpoint, region, credentials });
  const streams = new DynamoDBStreamsClient({ endpoint, region, credentials });

  const streamArn = await ensureStream(dynamodb, tableName);
  const shards = new Map<string, ShardState>();
  const checkpoint = await loadCheckpoint(options.checkpointFile);
  const positions = new Map<string, string>(checkpoint ?? []);
  let saving: Promise<void> = Promise.resolve();
  /** Records a shard's position (the last record handled) and writes the file, one write at a time. */
  const savePosition = (s: ShardState, seq: string | undefined) => {
    if (!options.checkpointFile || !seq || positions.get(s.id) === seq) return saving;
    positions.set(s.id, seq);
    const file = options.checkpointFile;
    const text = JSON.stringify({ streamArn, shards: Object.fromEntries(positions) });
    saving = saving.then(async () => {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(`${file}.tmp`, text);
      await rename(`${file}.tmp`, file);
    });
    return saving;
  };
  let firstDiscovery = true;
  /** A shard ended: look for its children now rather than at the next periodic refresh. */
  let rediscover = false;

  const discover = async () => {
    let start: string | undefined;
    do {
      const r = await streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }),
      );
      for (const s of r.StreamDescription?.Shards ?? []) addShard(s);
      start = r.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    firstDiscovery = false;
  };
  const addShard = (s: Shard) => {
    if (!s.ShardId || shards.has(s.ShardId)) return;
    const closed = Boolean(s.SequenceNumberRange?.EndingSequenceNumber);
    const saved = positions.get(s.ShardId);
    const state: ShardState = {
      id: s.ShardId,
      parentId: s.ParentShardId,
      started: false,
      exhausted: saved === SHARD_DONE,
      pending: [],
      attempts: 0,
      firstType:
        saved && saved !== SHARD_DONE
          ? 'AFTER_SEQUENCE_NUMBER'
          : firstDiscovery && !checkpoint
            ? (options.startAt ?? 'LATEST')
            : 'TRIM_HORIZON',
      ...(saved && saved !== SHARD_DONE ? { lastSeq: saved } : {}),
    };
    // Closed before we started and not asked to replay: nothing in it is news.
    if (firstDiscovery && !checkpoint && closed && state.firstType === 'LATEST') state.exhausted = true;
    shards.set(s.ShardId, state);
  };
  const parentDone = (s: ShardState) => {
    const parent = s.parentId ? shards.get(s.parentId) : undefined;
    return !parent || (parent.exhausted && parent.pending.length === 0);
  };

  const iteratorFor = async (s: ShardState, type: ShardIteratorType, seq?: string) => {
    const r = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: s.id,
        ShardIteratorType: type,
        ...(seq ? { SequenceNumber: seq } : {}),
      }),
    );
    return r.ShardIterator;
  };

  const toLambda = (r: _Record): LambdaStreamRecord => ({
    eventID: r.eventID ?? randomUUID().replaceAll('-', ''),
    eventName: r.eventName ?? 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb: {
      ...(r.dynamodb?.ApproximateCreationDateTime
        ? { ApproximateCreationDateTime: Math.floor(r.dynamodb.ApproximateCreationDateTime.getTime() / 1000) }
        : {}),
      Keys: jsonImage(r.dynamodb?.Keys) ?? {},
      ...(r.dynamodb?.NewImage ? { NewImage: jsonImage(r.dynamodb.NewImage) } : {}),
      ...(r.dynamodb?.OldImage ? { OldImage: jsonImage(r.dynamodb.OldImage) } : {}),
      SequenceNumber: r.dynamodb?.SequenceNumber ?? '',
      ...(r.dynamodb?.SizeBytes !== undefined ? { SizeBytes: r.dynamodb.SizeBytes } : {}),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    eventSourceARN: streamArn,
  });

  /** Reads more records into `pending` when it is empty; returns how many records were read. */
  const read = async (s: ShardState): Promise<number> => {
    if (s.exhausted || s.pending.length > 0) return 0;
    if (!s.started) {
      s.iterator = await iteratorFor(
        s,
        s.firstType,
        s.firstType === 'AFTER_SEQUENCE_NUMBER' ? s.lastSeq : undefined,
      );
      s.started = true;
    }
    if (!s.iterator) {
      s.exhausted = true;
      rediscover = true;
      await savePosition(s, SHARD_DONE);
      return 0;
    }
    try {
      const r = await streams.send(new GetRecordsCommand({ ShardIterator: s.iterator, Limit: 1000 }));
      const records = r.Records ?? [];
      const last = records.at(-1)?.dynamodb?.SequenceNumber;
      if (last) s.lastSeq = last;
      s.pending.push(...records.filter(filter).map(toLambda));
      s.iterator = r.NextShardIterator;
      if (!s.iterator) {
        s.exhausted = true; // a closed shard read to its end: its children take over
        rediscover = true;
      }
      // Nothing in this read for the callback: the position moves past it at once.
      if (s.pending.length === 0) await savePosition(s, s.exhausted ? SHARD_DONE : s.lastSeq);
      return records.length;
    } catch (e) {
      if (e instanceof ExpiredIteratorException) {
        s.iterator = s.lastSeq
          ? await iteratorFor(s, 'AFTER_SEQUENCE_NUMBER', s.lastSeq)
          : await iteratorFor(s, s.firstType);
        return 0;
      }
      if (e instanceof TrimmedDataAccessException) {
        s.iterator = await iteratorFor(s, 'TRIM_HORIZON');
        return 0;
      }
      throw e;
    }
  };

  /** Delivers pending records batch by batch; returns how many callbacks ran. */
  const deliver = async (s: ShardState): Promise<number> => {
    let calls = 0;
    while (s.pending.length > 0 && !stopped) {
      const batch = s.pending.slice(0, batchSize);
      calls += 1;
      let failedAt = -1;
      try {
        const result = (await options.onBatch({ Records: batch })) as
          | { batchItemFailures?: { itemIdentifier?: string }[] }
          | null
          | undefined;
        const failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
        // Lambda resumes from the lowest sequence number reported, whatever order they are listed
        // in: the batch is in sequence-number order, so that is its first record reported.
        failedAt = batch.findIndex((r) => failed.has(r.dynamodb.SequenceNumber));
        // An identifier we did not send fails the whole batch, as Lambda does.
        if (failed.size > 0 && failedAt < 0) failedAt = 0;
      } catch (e) {
        log('batch failed', e);
        failedAt = 0;
      }
      if (failedAt < 0) {
        s.pending.splice(0, batch.length);
        s.attempts = 0;
        await savePosition(s, handledUpTo(s, batch.at(-1)));
        continue;
      }
      // everything before the first failure is done
      if (failedAt > 0) await savePosition(s, s.pending.splice(0, failedAt).at(-1)?.dynamodb.SequenceNumber);
      s.attempts += 1;
      if (s.attempts >= maxAttempts) {
        log(`dropping record ${s.pending[0]?.dynamodb.SequenceNumber} after ${s.attempts} attempts`);
        await savePosition(s, handledUpTo(s, s.pending.shift()));
        s.attempts = 0;
        continue;
      }
      break; // retry on the next poll, after a pause
    }
    return calls;
  };

  /** The position once `last` is handled: past the whole read when nothing else is pending. */
  const handledUpTo = (s: ShardState, last: LambdaStreamRecord | undefined) =>
    s.pending.length === 0 ? (s.exhausted ? SHARD_DONE : s.lastSeq) : last?.dynamodb.SequenceNumber;

  // ---- the loop -----------------------------------------------------------------------------------
  let stopped = false;
  let paused = false;
  let polls = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let lastError = '';
  const waiters: { afterPoll: number; resolve: () => void }[] = [];

  const pollOnce = async (): Promise<boolean> => {
    polls += 1;
    const thisPoll = polls;
    let busy = false;
    try {
      if (rediscover || thisPoll % REFRESH_EVERY_POLLS === 0) {
        rediscover = false;
        await discover();
      }
      for (const s of shards.values()) {
        if (s.exhausted && s.pending.length === 0) continue;
        if (!parentDone(s)) continue;
        const read_ = await read(s);
        const calls = await deliver(s);
        if (read_ > 0 || calls > 0 || s.pending.length > 0) busy = true;
        if (s.exhausted && s.pending.length === 0) busy = true; // a child may be waiting for it
      }
      lastError = '';
    } catch (e) {
      busy = true;
      const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      if (text !== lastError) log('poll failed', e); // once per distinct error, not every 100 ms
      lastError = text;
    }
    if (!busy) {
      for (const w of [...waiters]) {
        if (thisPoll > w.afterPoll) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
    }
    return busy;
  };

  const loop = () => {
    if (stopped || paused) return;
    running = pollOnce().then((busy) => {
      if (!stopped) timer = setTimeout(loop, busy ? 0 : intervalMs);
    });
  };

  await discover();
  // `LATEST` is the stream's end when the poller starts, not when the loop first gets round to a
  // shard: a write between the two (a loaded machine) would otherwise be skipped.
  for (const s of shards.values()) {
    if (s.exhausted || s.started || s.firstType !== 'LATEST') continue;
    s.iterator = await iteratorFor(s, 'LATEST');
    s.started = true;
  }
  loop();

  return {
    streamArn,
    idle(timeoutMs = 30_000) {
      return new Promise<void>((resolve, reject) => {
        const waiter = {
          afterPoll: polls,
          resolve: () => {
            clearTimeout(t);
            resolve();
          },
        };
        const t = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`stream not idle after ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    async pause() {
      paused = true;
      if (timer) clearTimeout(timer);
      await running.catch(() => undefined);
    },
    resume() {
      if (!paused) return;
      paused = false;
      if (timer) clearTimeout(timer); // the loop's own next turn, set before the pause took hold
      loop();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running.catch(() => undefined);
      await saving.catch((e: unknown) => log('saving the checkpoint failed', e));
      streams.destroy();
      dynamodb.destroy();
    },
  };
}

/** The table's stream ARN, enabling the stream first on a table created without one (a kept database). */
async function ensureStream(client: DynamoDBClient, tableName: string): Promise<string> {
  const table = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  if (table?.LatestStreamArn && table.StreamSpecification?.StreamEnabled) return table.LatestStreamArn;
  const r = await client.send(
    new UpdateTableCommand({
      TableName: tableName,
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  const arn = r.TableDescription?.LatestStreamArn;
  if (!arn) throw new Error(`Table ${tableName} has no stream`);
  return arn;
}

/** Attribute values as JSON, the way Lambda delivers them (binary as base64). */
function jsonImage(
  image: Record<string, AttributeValue> | undefined,
): Record<string, LambdaAttributeValue> | undefined {
  if (!image) return undefined;
  return Object.fromEntries(Object.entries(image).map(([k, v]) => [k, jsonValue(v)]));
}

function jsonValue(v: AttributeValue): LambdaAttributeValue {
  if (v.B !== undefined) return { B: Buffer.from(v.B).toString('base64') };
  if (v.BS !== undefined) return { BS: v.BS.map((b) => Buffer.from(b).toString('base64')) };
  if (v.M !== undefined) return { M: jsonImage(v.M) ?? {} };
  if (v.L !== undefined) return { L: v.L.map(jsonValue) };
  return v as LambdaAttributeValue;
}
