import { claimsByCustomer } from '../adapters/dynamo/claims-repo.ts';
import { MergePositionSchema, mergePartitions } from '../core/paging.ts';
import { claimSummary } from './claim-view.ts';
import { cursorsFor } from './cursors.ts';

/** The signed-in customer's claims, newest first (GSI1), with a cursor signed for this caller. */
export async function myClaims(callerId: string, customerId: string, limit: number, cursor?: string) {
  const cursors = cursorsFor(callerId, 'my-claims', { customerId });
  const start = cursors.open(cursor, (p) => MergePositionSchema(1).parse(p));
  const page = await mergePartitions(
    1,
    (_, after, n) => claimsByCustomer(customerId, after, n),
    start,
    limit,
    { descending: true },
  );
  return { items: page.items.map(claimSummary), cursor: cursors.seal(page.position) ?? undefined };
}
