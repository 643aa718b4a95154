import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { dynamo } from '../../lambdas/adapters/aws-clients.ts';
import { claimLinksRead } from '../../lambdas/adapters/dynamo/fraud-repo.ts';
import { readItems } from '../../lambdas/adapters/dynamo/item-reads.ts';
import { keys } from '../../lambdas/adapters/dynamo/keys.ts';
import { tableName } from '../../lambdas/adapters/dynamo/table.ts';
import { workloadCounter } from '../../lambdas/adapters/dynamo/users-repo.ts';
import { backfill } from '../../lambdas/app/backfill.ts';
import { useStack } from '../helpers/stack.ts';

/**
 * The one-off backfill after issue 12 (`npm run backfill`), on the shared stack: it sets a drifted
 * workload counter from the assignee index and adds the claims of old one-item-per-claim `LINK#`
 * items under their value, and a second run changes nothing. A made-up staff member and a fresh
 * attribute value keep it apart from what other suites do on the same table meanwhile.
 */
useStack();

const put = (Item: Record<string, unknown>) =>
  dynamo().send(new PutCommand({ TableName: tableName(), Item }));

describe('the issue 12 backfill', () => {
  it('sets a workload counter that drifted from the assignee index, once; a dry run only reports', async () => {
    const staffId = `backfill-${randomUUID()}`;
    await put({ ...keys.workload(staffId), entity: 'StaffWorkload', openClaims: 3 });
    const dry = await backfill({ staffIds: [staffId], dryRun: true });
    expect(dry.workload).toEqual([{ staffId, was: 3, now: 0 }]);
    expect(await workloadCounter(staffId)).toBe(3);

    const first = await backfill({ staffIds: [staffId] });
    expect(first.workload).toEqual([{ staffId, was: 3, now: 0 }]);
    expect(await workloadCounter(staffId)).toBe(0);
    expect((await backfill({ staffIds: [staffId] })).workload).toEqual([]);
  });

  it("adds the old link items' claims under their value, by the rules new claims follow, once", async () => {
    const value = randomUUID().replaceAll('-', '');
    const old = (claimId: string, customerId: string) => ({
      pk: `LINK#PHONE#${value}`,
      sk: `CLAIM#${claimId}`,
      entity: 'ClaimLink',
      kind: 'PHONE',
      value,
      claimId,
      claimNumber: `BT-2026-9${claimId.slice(-5)}`,
      customerId,
      submittedAt: '2026-11-20T03:00:00.000Z',
    });
    await put(old('old-claim-a0001', 'CUS-OLD-A'));
    await put(old('old-claim-b0002', 'CUS-OLD-B'));

    const first = await backfill({ staffIds: [] });
    expect(first.links.read).toBeGreaterThanOrEqual(2);
    const under = (await readItems(claimLinksRead([{ kind: 'PHONE', value }]))).get(`PHONE#${value}`) ?? [];
    expect(under.map((e) => [e.claimId, e.customerId])).toEqual([
      ['old-claim-a0001', 'CUS-OLD-A'],
      ['old-claim-b0002', 'CUS-OLD-B'],
    ]);
    expect(under[0]).toMatchObject({
      claimNumber: 'BT-2026-9a0001',
      submittedAt: '2026-11-20T03:00:00.000Z',
    });

    const again = await backfill({ staffIds: [] });
    expect(again.links.added).toBe(0);
  });
});
