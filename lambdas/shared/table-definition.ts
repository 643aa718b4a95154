import type { EventType } from '../core/events.ts';

/**
 * The single table's key schema, defined once and used by CDK (lib/stateful-stack.ts) and by the
 * local stack (local/start.ts). Access patterns are listed in docs/access-patterns.md and map one
 * to one onto the named query functions in lambdas/adapters/dynamo/.
 */
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

export const TABLE_INDEXES = [
  /** byCustomer: a customer's claims (newest first) and policies. */
  { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  /** byQueue: claims by status ordered by nearest deadline; payouts by date. */
  { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  /** byAssignee: an adjuster's claims by deadline; staff by role; documents by SHA-256. */
  { indexName: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
  /** byPolicy: claims on one policy, latest loss first (the claim history staff see). */
  { indexName: 'gsi4', partitionKey: 'gsi4pk', sortKey: 'gsi4sk' },
] as const;

/**
 * Table-stream records the `claim-event-stream` task function receives: INSERTs of items whose
 * `entity` is one of these (claim events, workflow signals written with the change that owes them,
 * and the administration chain's events: a calendar change re-plans running deadlines, a staff
 * contact change tells the holder at their old address). CDK's
 * event-source filter and the local stream poller both read this list.
 */
export const STREAMED_ENTITIES = {
  attribute: 'entity',
  values: ['ClaimEvent', 'WorkflowSignal', 'AdminEvent'],
} as const;

/**
 * Claim events the stream processor writes itself (deadline bookkeeping and reminders) and never
 * reacts to, or every reaction would feed the next. The event-source filter drops them before
 * they reach the function: without it each claim's deadline events came back through the stream
 * only to be ignored (a Lambda invocation and a GetItem each). `DeadlineBreached` still comes
 * through (rare): the processor counts it for the deadline-breach metric and escalates the breach.
 */
export const QUIET_EVENT_TYPES = [
  'DeadlineScheduled',
  'DeadlineMet',
  'DeadlineAtRisk',
  'DeadlineCancelled',
  'ReminderSent',
] as const satisfies readonly EventType[];

/**
 * The table-stream filter, defined once: CDK turns it into the event-source mapping's
 * FilterCriteria (lib/stateless-stack.ts) and the local stream poller applies it as a predicate
 * ({@link isStreamedImage}). An INSERT passes when its `entity` is a workflow signal, a claim
 * event whose `type` is not a quiet one, or an administration event: `CalendarChanged` is the
 * record that owes the re-planning of running deadlines, written in the calendar change's own
 * transaction; the processor only starts its run (app/calendar-replan.ts: one deadline-replan
 * execution per change, named after it, which pages through the open claims with
 * app/deadlines.ts `replanOpenDeadlinesPage`), so thousands of claims never hold up the shard.
 * `StaffChanged` owes the notice to a staff member whose e-mail or phone changed
 * (app/notifications.ts); the processor ignores the others (a few a day).
 */
export const STREAM_FILTER = {
  entityAttribute: STREAMED_ENTITIES.attribute,
  typeAttribute: 'type',
  passes: [
    { entity: 'ClaimEvent', exceptTypes: QUIET_EVENT_TYPES },
    { entity: 'WorkflowSignal', exceptTypes: [] },
    { entity: 'AdminEvent', exceptTypes: [] },
  ],
} as const;

/** Whether a stream INSERT with these `entity` and `type` attributes reaches the processor. */
export function isStreamedImage(entity: string | undefined, type: string | undefined): boolean {
  return STREAM_FILTER.passes.some(
    (p) => p.entity === entity && !(p.exceptTypes as readonly string[]).includes(type ?? ''),
  );
}

/**
 * Table-stream records the `audit-anchor-stream` task function receives: INSERTs of every event of
 * an audit chain (claim events of every type, quiet ones included, and the administration chain's),
 * since a chain's anchor must reach its newest event whatever its type. CDK's event-source filter
 * (lib/stateless-stack.ts) and the local stream poller both read this list.
 */
export const ANCHOR_STREAM_FILTER = {
  entityAttribute: 'entity',
  entities: ['ClaimEvent', 'AdminEvent'],
} as const;

/** Whether a stream INSERT with this `entity` attribute reaches the anchoring function. */
export function isAnchoredImage(entity: string | undefined): boolean {
  return (ANCHOR_STREAM_FILTER.entities as readonly string[]).includes(entity ?? '');
}

/**
 * Attribute DynamoDB's TTL deletes on (epoch seconds: idempotency records, quota and reply-rate
 * counters, notices, workflow signals). TTL deletes items some time after they expire (up to days
 * on AWS), so readers treat an item past its expiry as absent themselves.
 */
export const TTL_ATTRIBUTE = 'expiresAt';

/** UpdateTimeToLive input for DynamoDB Local; CDK sets `timeToLiveAttribute` from the same constant. */
export function localTimeToLiveInput(tableName: string) {
  return {
    TableName: tableName,
    TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
  };
}

/** CreateTable input for DynamoDB Local; CDK builds the equivalent TableV2 from the same constants. */
export function localCreateTableInput(tableName: string) {
  const attrs = new Set<string>([TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey]);
  for (const i of TABLE_INDEXES) {
    attrs.add(i.partitionKey);
    attrs.add(i.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [...attrs].map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
    KeySchema: [
      { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: TABLE_INDEXES.map((i) => ({
      IndexName: i.indexName,
      KeySchema: [
        { AttributeName: i.partitionKey, KeyType: 'HASH' as const },
        { AttributeName: i.sortKey, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'ALL' as const },
    })),
    // The claim-event stream (CDK: dynamoStream NEW_AND_OLD_IMAGES); local/stream-poller.ts reads it.
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' as const },
  };
}
