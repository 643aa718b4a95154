import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse } from 'aws-lambda';
import * as z from 'zod/mini';
import { stripKeys } from '../../adapters/dynamo/keys.ts';
import { requireEnv } from '../../adapters/env.ts';
import { countMetrics } from '../../adapters/metrics.ts';
import { type CalendarChange, startReplanForCalendarChange } from '../../app/calendar-replan.ts';
import { type QueuedItem, reactInClaimOrder } from '../../app/claim-events.ts';
import { notifyStaffContactChanged } from '../../app/notifications.ts';
import { STREAM_RECORD_FAILED_METRIC } from '../../core/claim-metrics.ts';
import { type ClaimEvent, EVENT_TYPES } from '../../core/events.ts';
import { systemClock } from '../../core/time.ts';
import type { StoredSignal } from '../../core/workflow-signals.ts';
import { logger } from '../../runtime/logger.ts';
import { inStreamInvocation } from '../../runtime/notice-lease.ts';
import { taskHandler } from '../../http/task-handler.ts';

requireEnv(
  'TABLE_NAME',
  'EMAIL_FROM',
  'WEB_BASE_URL',
  'DEPARTMENT_TOPIC_ARNS',
  'SCHEDULER_GROUP',
  'SCHEDULER_ROLE_ARN',
  'SCHEDULER_DEAD_LETTER_ARN',
  'DEADLINE_TARGET_ARN',
  'CLAIM_STATE_MACHINE_ARN',
  'DEADLINE_REPLAN_STATE_MACHINE_ARN',
);

/** A table-stream record. The event source mapping already filters to INSERTs of STREAMED_ENTITIES. */
const StreamRecord = z.object({
  eventName: z.string(),
  dynamodb: z.object({ SequenceNumber: z.string(), NewImage: z.optional(z.record(z.string(), z.unknown())) }),
});
const StoredEvent = z.looseObject({
  entity: z.literal('ClaimEvent'),
  claimId: z.string().check(z.minLength(1)),
  seq: z.int().check(z.positive()),
  type: z.enum(EVENT_TYPES),
  at: z.iso.datetime(),
});

const StoredWorkflowSignal = z.looseObject({
  entity: z.literal('WorkflowSignal'),
  claimId: z.string().check(z.minLength(1)),
  revision: z.int().check(z.positive()),
  index: z.int().check(z.gte(0)),
  signal: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('start') }),
    z.object({
      kind: z.literal('resume'),
      token: z.string().check(z.minLength(1)),
      output: z.record(z.string(), z.unknown()),
    }),
    z.object({
      kind: z.literal('fail'),
      token: z.string().check(z.minLength(1)),
      error: z.string(),
      cause: z.string(),
    }),
    // An appeal's execution (core/appeal.ts).
    z.object({
      kind: z.literal('reopen'),
      execution: z.string().check(z.minLength(1), z.maxLength(80)),
      entry: z.literal('appeal'),
    }),
  ]),
  createdAt: z.iso.datetime(),
});

/** What a calendar change's audit event must carry to name its re-planning run. */
const StoredCalendarChange = z.looseObject({
  seq: z.int().check(z.positive()),
  hash: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  data: z.looseObject({ version: z.int().check(z.positive()) }),
});

/** The stream record's id and change when it carries a calendar change (an administration event). */
function calendarChangeOf(raw: unknown): { itemIdentifier: string; change: CalendarChange } | undefined {
  const r = StreamRecord.safeParse(raw);
  const image = r.success && r.data.eventName === 'INSERT' ? r.data.dynamodb.NewImage : undefined;
  if (!image) return undefined;
  const item = unmarshall(image as Record<string, AttributeValue>);
  if (item.entity !== 'AdminEvent' || item.type !== 'CalendarChanged') return undefined;
  const itemIdentifier = r.data?.dynamodb.SequenceNumber ?? '';
  const change = StoredCalendarChange.safeParse(item);
  // A malformed item can never succeed: logged and skipped rather than retried until it expires.
  if (!change.success)
    return void logger.error('unreadable calendar change', { sequenceNumber: itemIdentifier });
  return { itemIdentifier, change: change.data };
}

/** The stream record's id and event when it carries a staff account's changed contact details. */
function contactChangeOf(raw: unknown): { itemIdentifier: string; event: ClaimEvent } | undefined {
  const r = StreamRecord.safeParse(raw);
  const image = r.success && r.data.eventName === 'INSERT' ? r.data.dynamodb.NewImage : undefined;
  if (!image) return undefined;
  const item = unmarshall(image as Record<string, AttributeValue>);
  if (item.entity !== 'AdminEvent' || item.type !== 'StaffChanged' || !item.before) return undefined;
  const [b, a] = [item.before, item.after ?? {}] as Record<string, unknown>[];
  if (b?.email === a?.email && (b?.phone ?? '') === (a?.phone ?? '')) return undefined;
  return { itemIdentifier: r.data?.dynamodb.SequenceNumber ?? '', event: stripKeys<ClaimEvent>(item) };
}

/**
 * Runs `act` for each record's item; the records whose `act` failed are logged, counted
 * (StreamRecordFailed: retried by the stream, so never a function Error) and reported back for the
 * stream to retry.
 */
async function retriedOnFailure<T extends { itemIdentifier: string }>(
  records: readonly T[],
  act: (record: T) => Promise<unknown>,
  failure: string,
): Promise<string[]> {
  const failed = await Promise.all(
    records.map(async (r) => {
      try {
        await act(r);
        return [];
      } catch (e) {
        logger.error(failure, { error: e as Error });
        countMetrics([STREAM_RECORD_FAILED_METRIC]);
        return [r.itemIdentifier];
      }
    }),
  );
  return failed.flat();
}

/** Each holder of a changed contact told at the old e-mail; a failed send is retried by the stream. */
const tellOldContacts = (changes: { itemIdentifier: string; event: ClaimEvent }[]) =>
  retriedOnFailure(changes, (c) => notifyStaffContactChanged(c.event), 'old contact not told of the change');

/**
 * Each calendar change starts its re-planning run (the deadline-replan state machine, which pages
 * through the open claims with its own retries): thousands of claims would outlast this function
 * and stall the shard behind them. A start that fails is reported back, so the stream retries it.
 */
const replanOnCalendarChange = (changes: { itemIdentifier: string; change: CalendarChange }[]) =>
  retriedOnFailure(
    changes,
    (c) => startReplanForCalendarChange(c.change),
    'deadline re-planning not started for the new calendar',
  );

/** The claim event or workflow signal a record carries, or undefined for anything else. */
function streamItemOf(raw: unknown): QueuedItem | undefined {
  const r = StreamRecord.safeParse(raw);
  if (!r.success || r.data.eventName !== 'INSERT' || !r.data.dynamodb.NewImage) return undefined;
  const item = unmarshall(r.data.dynamodb.NewImage as Record<string, AttributeValue>);
  const itemIdentifier = r.data.dynamodb.SequenceNumber;
  // A malformed item can never succeed: logged and skipped rather than retried until it expires.
  if (item.entity === 'ClaimEvent') {
    if (!StoredEvent.safeParse(item).success)
      return void logger.error('unreadable claim event', { sequenceNumber: itemIdentifier });
    return { itemIdentifier, event: stripKeys<ClaimEvent>(item) };
  }
  if (item.entity === 'WorkflowSignal') {
    if (!StoredWorkflowSignal.safeParse(item).success)
      return void logger.error('unreadable workflow signal', { sequenceNumber: itemIdentifier });
    return { itemIdentifier, signal: stripKeys<StoredSignal>(item) };
  }
  return undefined;
}

export const handler = taskHandler(
  'ProcessClaimEvents',
  z.object({ Records: z.array(z.unknown()) }),
  // The notices this invocation takes carry its lease: a retry of a record takes over the ones an
  // earlier invocation took and died holding (runtime/notice-lease.ts).
  ({ Records }, context): Promise<DynamoDBBatchResponse> =>
    inStreamInvocation(context.awsRequestId, async () => {
      const items = Records.map(streamItemOf).filter((e): e is QueuedItem => e !== undefined);
      const changes = Records.map(calendarChangeOf).filter((c) => c !== undefined);
      const contacts = Records.map(contactChangeOf).filter((c) => c !== undefined);
      const failed = await Promise.all([
        reactInClaimOrder(items, systemClock),
        replanOnCalendarChange(changes),
        tellOldContacts(contacts),
      ]);
      return { batchItemFailures: failed.flat().map((itemIdentifier) => ({ itemIdentifier })) };
    }),
);
