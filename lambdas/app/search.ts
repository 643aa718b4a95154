import { claimIdsByLookup, getClaimIdByNumber, getClaims } from '../adapters/dynamo/claims-repo.ts';
import { MergePositionSchema, mergePartitions } from '../core/paging.ts';
import { detectSearchKind, normaliseSearchValue, type SearchQuery } from '../core/search.ts';
import { cursorsFor } from './cursors.ts';
import { queueItem } from './queue.ts';

/**
 * Staff search across every status, paid and closed included: by claim number (the number
 * pointer), or by policy, customer, phone or plate (lookup items written with the claim, newest
 * first). The claims themselves are read afresh, so the status shown is the current one.
 */
export async function searchClaims(callerId: string, query: SearchQuery, now: Date) {
  const by = query.by ?? detectSearchKind(query.q);
  const value = normaliseSearchValue(by, query.q);
  const cursors = cursorsFor(callerId, 'search', { by, q: value });
  if (by === 'number') {
    // A number names one claim: there is never a second page, so no cursor is valid here.
    cursors.open(query.cursor, () => {
      throw new Error('no pages');
    });
    const claimId = await getClaimIdByNumber(value);
    const claims = claimId ? await getClaims([claimId]) : [];
    return { by, items: claims.map((c) => queueItem(c, now)), nextCursor: null };
  }
  const start = cursors.open(query.cursor, (p) => MergePositionSchema(1).parse(p));
  const page = await mergePartitions(
    1,
    (_, after, limit) => claimIdsByLookup(by, value, after, limit),
    start,
    query.limit,
    { descending: true },
  );
  const claims = await getClaims(page.items);
  return { by, items: claims.map((c) => queueItem(c, now)), nextCursor: cursors.seal(page.position) };
}
