import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { defineSchema } from '../core/define-schema.ts';
import { commitWithAudit } from '../adapters/dynamo/admin-audit-repo.ts';
import { claimsByStatus, getClaim, getClaims } from '../adapters/dynamo/claims-repo.ts';
import {
  holdPayoutForSiu,
  releasePayoutHold,
  releasePayoutWithAccount,
} from '../adapters/dynamo/finance-repo.ts';
import { payoutNotBefore } from '../core/finance.ts';
import { siuQueue, siuQueueEntry } from '../adapters/dynamo/fraud-repo.ts';
import type { SiuOutcome } from '../core/claim.ts';
import { SETTLED_STATUSES } from '../core/lifecycle.ts';
import { exportedFeatures, type LabelledClaim, trainingCsv } from '../core/fraud/export.ts';
import {
  closeInvestigation,
  matchesPaidSearch,
  referForControl,
  type SiuPaidQuery,
  type SiuQueueQuery,
  siuCloserInvolvement,
  siuHoldsPayment,
  siuLabel,
  startInvestigation,
} from '../core/fraud/siu.ts';
import { DomainError, ForbiddenError } from '../core/errors.ts';
import { MergePositionSchema, mergePartitions } from '../core/paging.ts';
import type { Clock } from '../core/time.ts';
import type { Caller as Principal } from '../core/caller.ts';
import type { Role } from '../shared/roles.ts';
import { claimSummary } from './claim-view.ts';
import { mutateClaim } from './claim-store.ts';
import { cursorsFor } from './cursors.ts';
import { listStaff } from '../adapters/dynamo/users-repo.ts';
import { loadSodFacts } from './approval-controls.ts';
import { staffActor } from './staff-context.ts';
import { maybeStraightThrough } from './straight-through.ts';

const SIU: readonly Role[] = ['siu'];
/** At most this many closed cases per export (a page of 100 at a time). */
const EXPORT_LIMIT = 10_000;

/** A queue position (`<referredAt>#<claimId>`) as the signed cursor carries it. */
const QueuePosition = /* @__PURE__ */ defineSchema(() =>
  z.string().check(z.maxLength(120), z.regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z#[A-Za-z0-9-]{1,64}$/)),
);

/**
 * The SIU queue of one status, with each claim's score, reasons and linked claims, a page at a
 * time. The cursor is signed for this caller and this status (HOUSE_STYLE §18): an edited cursor,
 * another user's or another status's is refused with 400 INVALID_CURSOR before it reaches DynamoDB.
 */
export async function listSiuCases(principal: Principal, q: SiuQueueQuery) {
  await staffActor(principal, SIU);
  const cursors = cursorsFor(principal.userId, 'siu-cases', { status: q.status });
  const after = cursors.open(q.cursor, (p) => QueuePosition.parse(p));
  const page = await siuQueue(q.status, q.limit, after);
  const claims = new Map((await getClaims(page.items.map((i) => i.claimId))).map((c) => [c.claimId, c]));
  return {
    items: page.items.map((i) => {
      const c = claims.get(i.claimId);
      return {
        ...i,
        indicators: c?.fraudIndicators ?? [],
        links: c?.fraud?.links ?? [],
        contributions: c?.fraud?.contributions ?? [],
      };
    }),
    nextCursor: cursors.seal(page.next),
  };
}

/** Who may refer a claim to the SIU by hand: whoever takes the call or handles or pays the claim. */
const REFERRERS: readonly Role[] = ['supervisor', 'adjuster', 'finance', 'siu'];

/**
 * A member of staff refers a claim to the SIU, with a note of why (a customer calling about a
 * payout account change they did not make, a tip-off): the claim's payment is held at once (every
 * payout line not yet with the bank leaves the queue, or holds its batch's release) until the SIU
 * clears it. On a claim the SIU already has open, the reason and the note are added to its case.
 */
export async function referToSiu(
  principal: Principal,
  claimId: string,
  body: { note: string },
  clock: Clock,
) {
  const s = await staffActor(principal, REFERRERS);
  const now = clock.now().toISOString();
  const claim = await mutateClaim(claimId, clock, (c) => {
    // An adjuster refers the claims they handle; supervisors, finance and the SIU any claim.
    if (
      !principal.roles.some((r) => r === 'supervisor' || r === 'finance' || r === 'siu') &&
      c.assignee?.staffId !== principal.userId
    )
      throw new ForbiddenError('This claim is assigned to someone else');
    if (SETTLED_STATUSES.includes(c.status))
      throw new DomainError('INVALID_TRANSITION', 'The claim is paid or closed; nothing is left to hold');
    const open = c.siu && c.siu.status !== 'closed';
    // A case closed before (even `confirmed`) stays on the claim in the new case's history: who
    // refers it again may not close the new case, nor may whoever closed the old one.
    const siu = referForControl(c.siu, 'STAFF_REFERRAL', c.fraud?.score ?? 0, now, {
      id: principal.userId,
      role: s.role,
    });
    return {
      claim: {
        ...c,
        siu,
        paymentHold: c.paymentHold ?? { reason: 'siu_referral' as const, since: siu.referredAt },
      },
      events: [
        {
          type: 'ClaimReferredToSiu',
          actor: s.actor,
          data: {
            reasons: siu.reasons,
            note: body.note,
            manual: true,
            ...(open ? { alreadyOpen: true } : {}),
            ...(c.siu?.status === 'closed' ? { reopened: { outcome: c.siu.outcome } } : {}),
          },
        },
      ],
      siuCases: [siuQueueEntry(c, siu)],
    };
  });
  await holdPayoutForSiu(claimId, claim.siu?.referredAt ?? now);
  return claim;
}

/**
 * The SIU starts an investigation of a referred claim: only a reviewer who may also close it
 * (`siuCloserInvolvement`), so nobody investigates a claim they worked on or referred.
 */
export async function startSiuInvestigation(principal: Principal, claimId: string, clock: Clock) {
  const s = await staffActor(principal, SIU);
  const people = await listStaff();
  return mutateClaim(claimId, clock, async (c) => {
    const siu = startInvestigation(c.siu, { id: principal.userId, role: s.role }, clock.now().toISOString());
    const involvement = siuCloserInvolvement(c, principal.userId, await loadSodFacts(c, undefined, people));
    if (involvement.length > 0)
      throw new DomainError(
        'SOD_OWN_CASE',
        'You worked on this claim; another SIU reviewer must investigate it',
        {
          involvement,
        },
      );
    return {
      claim: { ...c, siu },
      events: [{ type: 'SiuInvestigationStarted', actor: s.actor, data: {} }],
      siuCases: [siuQueueEntry(c, siu)],
    };
  });
}

/**
 * The SIU's outcome, which becomes the claim's label. `cleared` lifts the payment hold (a payout
 * already queued returns to the awaiting queue); `confirmed` keeps it, and the claim can then only
 * be rejected through the normal decision path.
 */
export async function recordSiuOutcome(
  principal: Principal,
  claimId: string,
  body: { outcome: SiuOutcome; note: string },
  clock: Clock,
) {
  const s = await staffActor(principal, SIU);
  // The staff directory once: a retried write (version conflict) judges the claim again, not the list.
  const people = await listStaff();
  const claim = await mutateClaim(claimId, clock, async (c) => {
    // Whoever worked on the claim does not conclude its investigation (segregation of duties).
    const involvement = siuCloserInvolvement(c, principal.userId, await loadSodFacts(c, undefined, people));
    if (involvement.length > 0)
      throw new DomainError('SOD_OWN_CASE', 'You worked on this claim; another SIU reviewer must close it', {
        involvement,
      });
    const siu = closeInvestigation(
      c.siu,
      body.outcome,
      body.note,
      { id: principal.userId, role: s.role },
      clock.now().toISOString(),
      // What was cleared: a later score refers the claim again only for a flag not among these.
      { flags: (c.fraudIndicators ?? []).map((f) => f.code), score: c.fraud?.score ?? c.siu?.score ?? 0 },
    );
    const { paymentHold, ...rest } = c;
    const keepHold = paymentHold && (siuHoldsPayment({ siu }) || paymentHold.reason !== 'siu_referral');
    // Cleared while the customer is still to confirm a new account: the payment waits for that code
    // (paid to the old account meanwhile, it would go where the customer no longer wants it).
    const nextHold = keepHold
      ? paymentHold
      : c.payoutAccountChange
        ? { reason: 'payout_account_change' as const, since: clock.now().toISOString() }
        : undefined;
    return {
      claim: { ...rest, siu, ...(nextHold ? { paymentHold: nextHold } : {}) },
      events: [
        {
          type: 'SiuOutcomeRecorded',
          actor: s.actor,
          data: {
            outcome: body.outcome,
            note: body.note,
            paymentReleased: body.outcome === 'cleared',
            // A cleared that overturns an earlier confirmed finding says whose (the note is the reason).
            ...(siu.overturned ? { overturned: siu.overturned } : {}),
          },
        },
      ],
      siuCases: [siuQueueEntry(c, siu)],
    };
  });
  if (body.outcome === 'cleared') {
    if (!claim.paymentHold) await releasePayoutHold(claimId);
    else if (claim.paymentHold.reason === 'payout_account_change') {
      await releasePayoutHold(claimId, claim.paymentHold);
      // Confirmed between the two writes: the confirmation changed only the account of a line the
      // SIU still held, and no request is left to lift the hold it has now. Lift it as the
      // confirmation would have.
      const now = await getClaim(claimId);
      if (now && !now.payoutAccountChange && now.paymentHold?.reason !== 'payout_account_change')
        await releasePayoutWithAccount(
          claimId,
          now.report.payoutAccount,
          now.paymentHold !== undefined,
          payoutNotBefore(now, clock.now()),
        );
    }
    // Cleared, the claim is judged by the product's own rule again: it may now go straight through.
    await maybeStraightThrough(claimId, clock);
  }
  return claim;
}

/**
 * The SIU's retrospective review: paid claims with their score and red flags, filtered by product,
 * day paid, lowest score and whether any flag fired. Filters apply before the page limit
 * (core/paging.ts), so a selective search returns short pages with a cursor rather than skipping
 * claims; the cursor is signed for this caller and these filters.
 */
export async function paidClaimsForReview(principal: Principal, q: SiuPaidQuery) {
  await staffActor(principal, SIU);
  const { limit, cursor, ...filters } = q;
  const cursors = cursorsFor(principal.userId, 'siu-paid', { ...filters });
  const start = cursors.open(cursor, (p) => MergePositionSchema(1).parse(p));
  const page = await mergePartitions(
    1,
    async (_, after, n) => {
      const r = await claimsByStatus('PAID', after, n);
      return { items: r.items.filter((x) => matchesPaidSearch(x.item, filters)), next: r.next };
    },
    start,
    limit,
    { descending: false },
  );
  return {
    items: page.items.map((item) => ({
      ...claimSummary(item),
      paidAt: item.payment?.paidAt ?? null,
      paidAmount: item.payment?.amount ?? null,
      score: item.fraud?.score ?? null,
      indicators: item.fraudIndicators?.map((f) => f.code) ?? [],
      siu: item.siu?.status ?? null,
    })),
    nextCursor: cursors.seal(page.position),
  };
}

/**
 * Claims with an SIU finding and its 0/1 label (`siuLabel`: a confirmed finding stays 1 until a
 * second reviewer overturns it), in the training CSV format (core/fraud/export.ts) with the feature
 * values of the first score, so `npm run fraud:train -- --csv export.csv --label FraudFound_P
 * --drop ClaimNumber` retrains on them: refer → investigate → label → retrain. A claim referred
 * again sits in the open queues with its earlier finding: those are read too (they are work queues,
 * short next to the closed one), so a re-referral does not drop it from the file.
 *
 * The file names claims with their fraud finding: SIU only, and each download is recorded on the
 * admin audit chain (who, how many rows, the CSV's SHA-256) before it is handed out, as finance's
 * bank files are (app/finance.ts `batchDownload`), so no copy leaves unrecorded.
 */
export async function exportLabelledClaims(principal: Principal, clock: Clock): Promise<string> {
  const s = await staffActor(principal, SIU);
  const labelled: LabelledClaim[] = [];
  for (const status of ['closed', 'investigating', 'referred'] as const) {
    let after: string | undefined;
    do {
      const page = await siuQueue(status, 100, after);
      const earlier = status === 'closed' ? page.items : page.items.filter((i) => i.history?.length);
      for (const c of await getClaims(earlier.map((i) => i.claimId))) {
        const label = siuLabel(c);
        // The row frozen at the first score, not the latest rescore's (which may hold what the
        // investigation itself produced); a claim scored before snapshots were kept has none.
        const features = exportedFeatures(c.fraud);
        if (label !== null && features)
          labelled.push({ claimNumber: c.claimNumber, submittedAt: c.submittedAt, features, label });
      }
      after = page.next;
    } while (after && labelled.length < EXPORT_LIMIT);
  }
  const rows = labelled.slice(0, EXPORT_LIMIT);
  const csv = trainingCsv(rows);
  await commitWithAudit(
    [],
    [
      {
        type: 'SiuLabelsExported',
        actor: s.actor,
        data: { rows: rows.length, sha256: createHash('sha256').update(csv).digest('hex') },
      },
    ],
    clock.now(),
  );
  return csv;
}
