import { claimsByPolicy } from '../adapters/dynamo/claims-repo.ts';
import type { Claim } from '../core/claim.ts';
import { MergePositionSchema, mergePartitions } from '../core/paging.ts';
import { claimSummary } from './claim-view.ts';
import { cursorsFor } from './cursors.ts';

/**
 * The other claims on this claim's policy, latest loss first, one page at a time (GSI4). The staff
 * claim view carries the first page; `GET /claims/{id}/policy-history?cursor=` the rest, with a
 * cursor signed for this caller and this claim.
 */
export async function policyHistory(callerId: string, claim: Claim, limit: number, cursor?: string) {
  const cursors = cursorsFor(callerId, 'policy-history', { claimId: claim.claimId });
  const start = cursors.open(cursor, (p) => MergePositionSchema(1).parse(p));
  const page = await mergePartitions(
    1,
    async (_, after, n) => {
      const r = await claimsByPolicy(claim.policyNumber, after, n);
      return { items: r.items.filter((x) => x.item.claimId !== claim.claimId), next: r.next };
    },
    start,
    limit,
    { descending: true },
  );
  return { items: page.items.map(claimSummary), nextCursor: cursors.seal(page.position) };
}
