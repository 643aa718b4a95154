import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Policy } from '../../core/policy.ts';
import { type PolicyChange, policyContentHash, withVersionChanges } from '../../core/policy-import.ts';
import { policyDirectoryEntries } from '../../core/customer-directory.ts';
import { dynamo } from '../aws-clients.ts';
import { directoryPuts } from './customer-directory-repo.ts';
import { keys, policyIndexKeys, prefixes, stripKeys } from './keys.ts';
import { type ItemRead, itemRead } from './item-reads.ts';
import { queryAll, under } from './query.ts';
import { tableName } from './table.ts';

/**
 * Bookkeeping stored beside a policy version (never part of the policy itself). `changes` is no
 * longer written (see {@link policyVersions}) but items written before still carry it.
 */
const META = ['contentHash', 'importId', 'recordedAt', 'changes'] as const;
const withoutMeta = (item: Record<string, unknown>): Policy => {
  const p = stripKeys<Record<string, unknown>>(item);
  for (const m of META) delete p[m];
  return p as unknown as Policy;
};

/**
 * A policy version as stored; read with the other versions ({@link policyVersions}), with how it
 * differs from the version before it.
 */
export interface StoredPolicy {
  policy: Policy;
  contentHash: string;
  importId?: string;
  recordedAt?: string;
  changes?: PolicyChange[];
}
const stored = (item: Record<string, unknown>): StoredPolicy => ({
  policy: withoutMeta(item),
  contentHash: String(item.contentHash ?? ''),
  ...(typeof item.importId === 'string' ? { importId: item.importId } : {}),
  ...(typeof item.recordedAt === 'string' ? { recordedAt: item.recordedAt } : {}),
});

/** Access pattern: policy by number (the version in force now). */
export async function getPolicy(policyNumber: string): Promise<Policy | undefined> {
  const r = await dynamo().send(new GetCommand({ TableName: tableName(), Key: keys.policy(policyNumber) }));
  return r.Item ? withoutMeta(r.Item) : undefined;
}

/** The policy in force with when the import recorded it, as one item of a combined read. */
export function storedPolicyRead(policyNumber: string): ItemRead<StoredPolicy | undefined> {
  return itemRead(keys.policy(policyNumber), stored);
}

/** Access pattern: one version of a policy (the one a claim was checked against). */
export async function getPolicyVersion(
  policyNumber: string,
  version: number,
): Promise<StoredPolicy | undefined> {
  const r = await dynamo().send(
    new GetCommand({ TableName: tableName(), Key: keys.policyVersion(policyNumber, version) }),
  );
  return r.Item ? stored(r.Item) : undefined;
}

/**
 * The policy a claim is checked and assessed against: the version pinned when it was filed, which is
 * the version in force at the loss (core/policy-at-loss.ts `versionAtLoss`), never one recorded or
 * taking effect later. Claims filed before versions were pinned read the current version.
 */
export async function policyOfClaim(c: {
  policyNumber: string;
  policyVersion?: number;
}): Promise<Policy | undefined> {
  if (c.policyVersion !== undefined) {
    const v = await getPolicyVersion(c.policyNumber, c.policyVersion);
    if (v) return v.policy;
  }
  return getPolicy(c.policyNumber);
}

/**
 * {@link policyOfClaim} from a read of the policy with its versions ({@link policyWithVersions}):
 * the pinned version when it is stored, else the version in force.
 */
export function policyOfClaimIn(
  c: { policyNumber: string; policyVersion?: number },
  read: { policy: Policy | undefined; versions: readonly StoredPolicy[] },
): Policy | undefined {
  const pinned =
    c.policyVersion === undefined
      ? undefined
      : read.versions.find((v) => v.policy.version === c.policyVersion);
  return pinned?.policy ?? read.policy;
}

/**
 * Access pattern: every version of a policy, oldest first, with its changes (endorsements,
 * cancellation). The changes are those from the stored version before it, worked out on reading
 * (core/policy-import.ts `withVersionChanges`): versions arrive in any order, so what changed when
 * a version was written (against the version current then) can be wrong once an earlier one lands.
 */
export async function policyVersions(policyNumber: string): Promise<StoredPolicy[]> {
  return withVersionChanges(
    await queryAll(under(keys.policy(policyNumber).pk, prefixes.policyVersion), stored),
  );
}

/**
 * Access pattern: the policy in force and every version of it, in one query of its partition (sk
 * `POLICY` sorts before `V#…`): what fraud scoring reads, one request instead of two.
 */
export async function policyWithVersions(
  policyNumber: string,
): Promise<{ policy: Policy | undefined; versions: StoredPolicy[] }> {
  const items = await queryAll<Record<string, unknown>>(
    {
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :current AND :versions',
      ExpressionAttributeValues: {
        ':pk': keys.policy(policyNumber).pk,
        ':current': keys.policy(policyNumber).sk,
        ':versions': `${prefixes.policyVersion}\uffff`,
      },
    },
    (i) => i,
  );
  const current = items.find((i) => i.sk === keys.policy(policyNumber).sk);
  return {
    policy: current ? withoutMeta(current) : undefined,
    versions: withVersionChanges(
      items.filter((i) => String(i.sk).startsWith(prefixes.policyVersion)).map(stored),
    ),
  };
}

/** Current versions of up to 100 policies in one round trip (the import reads a batch at a time). */
export async function currentPolicies(policyNumbers: readonly string[]): Promise<Map<string, StoredPolicy>> {
  const out = new Map<string, StoredPolicy>();
  const unique = [...new Set(policyNumbers)];
  for (let i = 0; i < unique.length; i += 100) {
    let pending: Record<string, unknown>[] | undefined = unique.slice(i, i + 100).map((n) => keys.policy(n));
    for (let attempt = 0; pending && pending.length > 0 && attempt < 8; attempt++) {
      if (attempt > 0) await new Promise((res) => setTimeout(res, 20 * 2 ** attempt));
      const r = await dynamo().send(
        new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: pending, ConsistentRead: true } } }),
      );
      for (const item of r.Responses?.[tableName()] ?? []) {
        const s = stored(item);
        out.set(s.policy.policyNumber, s);
      }
      pending = r.UnprocessedKeys?.[tableName()]?.Keys as Record<string, unknown>[] | undefined;
    }
    if (pending && pending.length > 0) throw new Error('policies not read (throttled)');
  }
  return out;
}

export type PolicyWriteOutcome =
  | { kind: 'written' | 'raced' }
  /** The table refused the items themselves: writing them again would be refused again. */
  | { kind: 'refused'; reason: string };

/**
 * What a failed policy write means. A cancelled transaction lost a race (a condition failed, a
 * conflicting transaction) unless a reason is a ValidationError; a ValidationException (a key over
 * 2,048/1,024 bytes, an item over 400 KB) is about this version's content, so it is refused and
 * the import goes on with the next one. Anything else (throttling, access) is thrown.
 */
function failedWrite(e: unknown): PolicyWriteOutcome {
  const refused = (reason: string | undefined) => ({
    kind: 'refused' as const,
    reason: (reason || 'ValidationException').slice(0, 300),
  });
  if (e instanceof TransactionCanceledException) {
    const invalid = e.CancellationReasons?.find((r) => r.Code === 'ValidationError');
    return invalid ? refused(invalid.Message) : { kind: 'raced' };
  }
  if ((e as { name?: unknown } | undefined)?.name === 'ValidationException')
    return refused((e as Error).message);
  throw e;
}

/**
 * Makes `policy` the current version and adds it to the history, in one transaction: the current
 * item only moves forward (`previousVersion` is the version it replaces, or none), and a history
 * version is written once. `raced` when another writer moved the policy meanwhile, `refused` when
 * the table refuses the items as invalid.
 */
export async function writeCurrentPolicyVersion(
  policy: Policy,
  meta: { contentHash: string; importId?: string; recordedAt: string },
  previousVersion: number | undefined,
): Promise<PolicyWriteOutcome> {
  const body = { entity: 'Policy', ...policy, ...meta };
  try {
    await dynamo().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: { ...keys.policy(policy.policyNumber), ...policyIndexKeys(policy), ...body },
              ...(previousVersion === undefined
                ? { ConditionExpression: 'attribute_not_exists(pk)' }
                : {
                    ConditionExpression: '#v = :prev',
                    ExpressionAttributeNames: { '#v': 'version' },
                    ExpressionAttributeValues: { ':prev': previousVersion },
                  }),
            },
          },
          {
            Put: {
              TableName: tableName(),
              Item: {
                ...keys.policyVersion(policy.policyNumber, policy.version),
                ...body,
                entity: 'PolicyVersion',
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          ...directoryPuts(policy.customerId, policyDirectoryEntries(policy)),
        ],
      }),
    );
    return { kind: 'written' };
  } catch (e) {
    return failedWrite(e);
  }
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
  return (r.Items ?? []).map(withoutMeta);
}

/**
 * Writes a policy as its current version (demo data, tests): replaces whatever is stored. Demo data
 * stand for policies the insurer held before any loss filed on them, so no recording time is
 * written: only versions the import recorded (with their `recordedAt`) are judged by the intake
 * check for cover widened after the loss (POLICY_CHANGED_AFTER_LOSS).
 */
export async function putPolicy(p: Policy): Promise<void> {
  const meta = { contentHash: policyContentHash(p) };
  await dynamo().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: tableName(),
            Item: { ...keys.policy(p.policyNumber), ...policyIndexKeys(p), entity: 'Policy', ...p, ...meta },
          },
        },
        {
          Put: {
            TableName: tableName(),
            Item: {
              ...keys.policyVersion(p.policyNumber, p.version),
              entity: 'PolicyVersion',
              ...p,
              ...meta,
            },
          },
        },
        ...directoryPuts(p.customerId, policyDirectoryEntries(p)),
      ],
    }),
  );
}
