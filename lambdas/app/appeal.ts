import { appealExecutionName, type AppealBody, fileAppeal } from '../core/appeal.ts';
import { assertTransition } from '../core/lifecycle.ts';
import type { Clock } from '../core/time.ts';
import { reopenSignal } from '../core/workflow-signals.ts';
import type { Caller as Principal } from '../core/caller.ts';
import { loadOwnClaim, mutateClaim } from './claim-store.ts';
import { loadCalendar, loadProduct } from './products.ts';

/**
 * POST /claims/{claimId}/appeal: the customer who owns a rejected claim appeals it within the window
 * (core/appeal.ts). The claim goes back to UNDER_ASSESSMENT with its handler, accepts documents again
 * (the new evidence), and a new workflow execution named for the appeal re-enters assessment; the
 * `ClaimAppealed` event starts the decision deadline and sends the letter and the staff notice.
 */
export async function appealClaim(principal: Principal, claimId: string, body: AppealBody, clock: Clock) {
  // Staff read every claim; only the customer whose claim it is may appeal it.
  const claim = await loadOwnClaim(principal, claimId);
  const [product, calendar] = await Promise.all([loadProduct(claim.productCode), loadCalendar()]);
  return mutateClaim(claimId, clock, (c) => {
    const appeal = fileAppeal(c, body.reason, clock.now(), product, calendar);
    assertTransition(c.status, 'UNDER_ASSESSMENT');
    return {
      claim: { ...c, status: 'UNDER_ASSESSMENT', appeal, decision: undefined },
      signals: [reopenSignal(appealExecutionName(claimId), 'appeal')],
      events: [
        {
          type: 'ClaimAppealed',
          actor: { kind: 'customer', id: principal.userId },
          data: { reason: appeal.reason, filedAt: appeal.filedAt, decideBy: appeal.decideBy },
          before: { status: c.status },
          after: { status: 'UNDER_ASSESSMENT' },
        },
      ],
    };
  });
}
