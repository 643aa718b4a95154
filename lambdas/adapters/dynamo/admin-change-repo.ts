import type { NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import type { PendingAdminChange } from '../../core/admin-changes.ts';
import { DomainError } from '../../core/errors.ts';
import type { GuardedWrite } from './admin-audit-repo.ts';
import { queryAll, under } from './query.ts';
import { tableName } from './table.ts';

/**
 * Administration changes awaiting a second administrator (core/admin-changes.ts). One item per
 * target (`PENDING#<kind>#<target>`) under one partition, so there is at most one open change per
 * product, calendar or staff account (a second is refused, not queued behind the first), and the
 * console lists them all with one Query. A decision deletes the item in the same transaction that
 * records it on the admin audit chain (and, when approved, applies it); the chain keeps the history.
 */
export const adminChangeKeys = {
  pending: (kind: string, target: string) => ({ pk: 'ADMIN#CHANGES', sk: `PENDING#${kind}#${target}` }),
  prefix: 'PENDING#',
} as const;

const fromItem = (i: Record<string, NativeAttributeValue>): PendingAdminChange => ({
  changeId: String(i.changeId),
  kind: i.kind,
  target: String(i.target),
  proposedBy: String(i.proposedBy),
  proposedAt: String(i.proposedAt),
  baseVersion: Number(i.baseVersion),
  before: i.before,
  after: i.after,
  loosens: (i.loosens as string[] | undefined) ?? [],
});

/** Access pattern: every administration change awaiting a decision, oldest target first. */
export async function pendingAdminChanges(): Promise<PendingAdminChange[]> {
  const key = adminChangeKeys.pending('', '');
  const items = await queryAll<Record<string, NativeAttributeValue>>({
    ...under(key.pk, adminChangeKeys.prefix),
    ConsistentRead: true,
  });
  return items.map(fromItem).sort((a, b) => a.proposedAt.localeCompare(b.proposedAt));
}

/** The write that opens change `c`: refused (CHANGE_PENDING) while another is open for its target. */
export function proposeAdminChangeWrite(c: PendingAdminChange): GuardedWrite {
  return {
    item: {
      Put: {
        TableName: tableName(),
        Item: { ...adminChangeKeys.pending(c.kind, c.target), entity: 'AdminChange', ...c },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    onConditionFailed: () =>
      new DomainError('CHANGE_PENDING', 'Another change to this awaits a second administrator', {
        fields: [{ path: c.kind, code: 'change_pending', message: `${c.kind} ${c.target}` }],
      }),
  };
}

/** The write that closes change `c` (approved, rejected, withdrawn): only while it is still open. */
export function closeAdminChangeWrite(
  c: Pick<PendingAdminChange, 'kind' | 'target' | 'changeId'>,
): GuardedWrite {
  return {
    item: {
      Delete: {
        TableName: tableName(),
        Key: adminChangeKeys.pending(c.kind, c.target),
        ConditionExpression: 'changeId = :id',
        ExpressionAttributeValues: { ':id': c.changeId },
      },
    },
    onConditionFailed: () => new DomainError('CHANGE_NOT_FOUND', 'No such change awaits a decision'),
  };
}
