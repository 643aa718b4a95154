import {
  type NativeAttributeValue,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Claim, LinkKind, SiuCase, SiuStatus } from '../../core/claim.ts';
import { dynamo } from '../aws-clients.ts';
import { keys, siuIndexKeys, stripKeys } from './keys.ts';
import type { ItemRead } from './item-reads.ts';
import { tableName } from './table.ts';

/** One claim under one shared attribute (an entry of a `LINKS#` item). */
export interface ClaimLinkEntry {
  kind: LinkKind;
  value: string;
  claimId: string;
  claimNumber: string;
  customerId: string;
  submittedAt: string;
}

const ENTRY = 'c_';

/**
 * Access pattern: the claims under each of several attribute values (one item per value), as one
 * item of a combined read. Keyed `<kind>#<value>`; each list in claim-id order.
 */
export function claimLinksRead(
  values: readonly { kind: LinkKind; value: string }[],
): ItemRead<Map<string, ClaimLinkEntry[]>> {
  return {
    keys: values.map((v) => keys.claimLinks(v.kind, v.value)),
    decode: (found) =>
      new Map(
        values.map((v) => {
          const item = found(keys.claimLinks(v.kind, v.value)) ?? {};
          const entries = Object.entries(item)
            .filter(([name]) => name.startsWith(ENTRY))
            .map(([name, e]) => ({
              ...(e as Omit<ClaimLinkEntry, 'kind' | 'value' | 'claimId'>),
              kind: v.kind,
              value: v.value,
              claimId: name.slice(ENTRY.length),
            }))
            .sort((x, y) => (x.claimId < y.claimId ? -1 : x.claimId > y.claimId ? 1 : 0));
          return [`${v.kind}#${v.value}`, entries];
        }),
      ),
  };
}

/**
 * Adds a claim under one attribute value: sets its own attribute, so writing it again changes
 * nothing and concurrent claims under the same value never overwrite each other. Written in the
 * claim's own transaction when scoring writes the claim (`saveClaim`), else by `addClaimLinks`.
 */
export function claimLinkUpdate(e: ClaimLinkEntry) {
  return {
    Update: {
      TableName: tableName(),
      Key: keys.claimLinks(e.kind, e.value),
      UpdateExpression: 'SET #e = :e, entity = :entity, kind = :kind',
      ExpressionAttributeNames: { '#e': `${ENTRY}${e.claimId}` },
      ExpressionAttributeValues: {
        ':e': { claimNumber: e.claimNumber, customerId: e.customerId, submittedAt: e.submittedAt },
        ':entity': 'ClaimLinks',
        ':kind': e.kind,
      },
    },
  };
}

/** Adds a claim under attribute values on its own (a rescore that writes nothing else). */
export async function addClaimLinks(entries: readonly ClaimLinkEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += 100) {
    await dynamo().send(
      new TransactWriteCommand({ TransactItems: entries.slice(i, i + 100).map((e) => claimLinkUpdate(e)) }),
    );
  }
}

/**
 * Adds claims under their values one request each: for entries that may share a value (the
 * backfill), which one transaction cannot touch twice. Each is idempotent, like the transaction's.
 */
export async function addClaimLinksOneByOne(entries: readonly ClaimLinkEntry[]): Promise<void> {
  for (const e of entries) await dynamo().send(new UpdateCommand(claimLinkUpdate(e).Update));
}

/** An SIU case as its queue lists it. */
export interface SiuQueueEntry extends SiuCase {
  claimId: string;
  claimNumber: string;
  productCode: string;
  amount: number;
}

/** The queue entry of a claim's SIU case, written with the claim (its amount is the customer's estimate). */
export const siuQueueEntry = (
  c: Pick<Claim, 'claimId' | 'claimNumber' | 'productCode' | 'report'>,
  siu: SiuCase,
): SiuQueueEntry => ({
  ...siu,
  claimId: c.claimId,
  claimNumber: c.claimNumber,
  productCode: c.productCode,
  amount: c.report.estimatedAmount.amount,
});

/** The stored item; written in the claim's own transaction (see `saveClaim`), so the two never disagree. */
export function siuCaseItem(e: SiuQueueEntry): Record<string, NativeAttributeValue> {
  return {
    ...keys.siuCase(e.claimId),
    ...siuIndexKeys(e.status, e.referredAt, e.claimId),
    entity: 'SiuCase',
    ...e,
  };
}

/** Access pattern: the SIU queue of one status, oldest referral first (GSI2 `SIU#<status>`). */
export async function siuQueue(
  status: SiuStatus,
  limit: number,
  after?: string,
): Promise<{ items: SiuQueueEntry[]; next?: string }> {
  const pk = siuIndexKeys(status, '', '').gsi2pk;
  const r = await dynamo().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      Limit: limit,
      ExclusiveStartKey: after
        ? { ...keys.siuCase(after.split('#').at(-1) ?? ''), gsi2pk: pk, gsi2sk: after }
        : undefined,
    }),
  );
  return {
    items: (r.Items ?? []).map((i) => stripKeys<SiuQueueEntry>(i)),
    next: r.LastEvaluatedKey ? String(r.LastEvaluatedKey.gsi2sk) : undefined,
  };
}

/**
 * The claims of the old one-item-per-claim link items (`LINK#<kind>#<value>` / `CLAIM#<claimId>`,
 * entity `ClaimLink`, written until 3 December 2026), a Scan page at a time: read once by the
 * backfill that adds them under their value's item. No request path scans.
 */
export async function* oldClaimLinkPages(): AsyncGenerator<ClaimLinkEntry[]> {
  let start: Record<string, NativeAttributeValue> | undefined;
  do {
    const page = await dynamo().send(
      new ScanCommand({
        TableName: tableName(),
        FilterExpression: 'entity = :old',
        ExpressionAttributeValues: { ':old': 'ClaimLink' },
        ExclusiveStartKey: start,
      }),
    );
    start = page.LastEvaluatedKey;
    yield (page.Items ?? []).map((i) => ({
      kind: i.kind as LinkKind,
      value: i.value as string,
      claimId: i.claimId as string,
      claimNumber: i.claimNumber as string,
      customerId: i.customerId as string,
      submittedAt: i.submittedAt as string,
    }));
  } while (start);
}
