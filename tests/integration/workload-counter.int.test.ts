import { beforeAll, describe, expect, it } from 'vitest';
import { openClaimCount } from '../../lambdas/adapters/dynamo/claims-repo.ts';
import { readItems } from '../../lambdas/adapters/dynamo/item-reads.ts';
import { workloadRead } from '../../lambdas/adapters/dynamo/users-repo.ts';
import { DEMO_USERS } from '../../local/demo-data.ts';
import { fileClaim, getClaim, hoursAgo, until } from '../helpers/claims.ts';
import { type Api, apiAs, eventually, useStack } from '../helpers/stack.ts';

/**
 * Assignment reads each qualified adjuster's open workload from a counter (issue 12: one BatchGet
 * instead of a count query per adjuster). The counters move in the transactions that put claims
 * on and take them off desks, so they must equal what the assignee index counts. Other suites file
 * and move claims on the same stack meanwhile, so the two are compared until a quiet moment finds
 * them equal (a counter that drifted never does).
 */
const stack = useStack();
let an: Api;
let hai: Api;

const idOf = (username: string) => DEMO_USERS.find((u) => u.username === username)?.userId ?? '';

async function agrees(staffIds: readonly string[]) {
  return eventually(
    async () => {
      const counters = await readItems(workloadRead(staffIds));
      const counts = await Promise.all(staffIds.map((id) => openClaimCount(id)));
      const again = await readItems(workloadRead(staffIds));
      const same = staffIds.every(
        (id, i) => counters.get(id) === counts[i] && again.get(id) === counters.get(id),
      );
      return same ? counts : undefined;
    },
    20_000,
    200,
  );
}

beforeAll(async () => {
  [an, hai] = await Promise.all([apiAs(stack.apiUrl, 'an.nguyen'), apiAs(stack.apiUrl, 'hai.do')]);
});

describe('open workload counters', () => {
  it('equal the assignee index after automatic assignment and after a reassignment', async () => {
    const { claimId } = await fileClaim(an, { lossAt: hoursAgo(3) });
    const assigned = await until(hai, claimId, (c) => Boolean(c.assignee || c.assignedQueue), 15_000);
    const dung = idOf('dung.pham');
    const first = assigned.assignee?.staffId as string | undefined;
    const staff = [...new Set([dung, ...(first ? [first] : [])])];
    await agrees(staff);

    // A supervisor moves the claim to someone else: one counter down, the other up, with the claim.
    const target = first === dung ? idOf('giang.hoang') : dung;
    expect(target).not.toBe('');
    const c = await getClaim(hai, claimId);
    const r = await hai.post(`/claims/${claimId}/assignment`, {
      expectedVersion: c.version,
      staffId: target,
      reason: 'Cân bằng khối lượng',
    });
    expect(r.status).toBe(200);
    await agrees([...new Set([...staff, target])]);
    const moved = await getClaim(hai, claimId);
    expect(moved.assignee.staffId).toBe(target);
  });
});
