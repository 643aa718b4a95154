import { readItems } from '../adapters/dynamo/item-reads.ts';
import { customerProfile, listStaff, workloadRead } from '../adapters/dynamo/users-repo.ts';
import { sendEmail } from '../adapters/notifier.ts';
import { assignClaim as assignClaim_, qualifiesFor } from '../core/assignment.ts';
import { notificationContact } from '../core/controls.ts';
import { missingDocuments } from '../core/dossier.ts';
import { DomainError } from '../core/errors.ts';
import { SYSTEM } from '../core/events.ts';
import { DOCUMENT_TEXT, t } from '../core/messages.ts';
import type { ProductLine } from '../core/products.ts';
import type { Clock } from '../core/time.ts';
import { formatDateTime, greeting } from '../core/format.ts';
import { getClaimWithConfig, mutateClaim, mutateClaimWithConfig } from './claim-store.ts';
import { sendOnce } from './notifications.ts';
import { loadProduct } from './products.ts';
import { evaluateStraightThrough, straightThroughRecord } from './straight-through.ts';
import { renderTemplate } from './templates.ts';

/**
 * Workflow step: the acknowledgement letter, in the customer's language, listing what to send.
 * Sent once: a retried step sees `acknowledgedAt` and does nothing.
 */
export async function sendAcknowledgement(claimId: string, clock: Clock, webBaseUrl: string) {
  const c = await getClaimWithConfig(claimId);
  if (!c) throw new DomainError('CLAIM_NOT_FOUND', 'Claim not found');
  if (c.acknowledgedAt) return { claimId, sent: false };
  // The name registered when the claim was filed, seconds ago; a claim filed before the claim kept
  // it reads the customer's profile by their customer id (a profile is keyed by its sign-in id).
  const [product, registeredName] = await Promise.all([
    loadProduct(c.productCode),
    c.customerName ?? customerProfile(c.customerId).then((u) => u?.displayName),
  ]);
  const missing = missingDocuments(c.requiredDocuments, c.receivedDocuments);
  // The registered contact unless the customer confirmed the one given on the claim.
  const to = notificationContact(c).email;
  const message = await renderTemplate('acknowledgement', c.locale, {
    customerName: registeredName ?? c.report.payoutAccount.accountHolder,
    greeting: greeting(registeredName ?? c.report.payoutAccount.accountHolder, c.locale),
    claimNumber: c.claimNumber,
    policyNumber: c.policyNumber,
    productName: product ? product.name[c.locale] : c.productCode,
    receivedAt: formatDateTime(c.submittedAt, c.locale),
    documents: missing.map((d) => ({ name: t(DOCUMENT_TEXT, d, c.locale) })),
    hasDocuments: missing.length > 0,
    claimUrl: `${webBaseUrl.replace(/\/$/, '')}/#/claims/${c.claimId}`,
  });
  // A step retried after the email went out (the claim write below failed) does not send it again.
  let messageId = '';
  await sendOnce(claimId, 'acknowledgement', async () => {
    messageId = await sendEmail(to, message);
  });
  await mutateClaim(
    claimId,
    clock,
    (x) =>
      x.acknowledgedAt
        ? null
        : {
            claim: { ...x, acknowledgedAt: clock.now().toISOString() },
            events: [
              { type: 'AcknowledgementSent', actor: SYSTEM, data: { channel: 'email', to, messageId } },
            ],
          },
    undefined,
    c,
  );
  return { claimId, sent: true };
}

/**
 * Workflow step: automatic assignment by product skill, region, open workload and authority,
 * falling back to the supervisors' queue. The reason is recorded in words a person can check.
 */
export async function assignClaim(claimId: string, clock: Clock) {
  const claim = await mutateClaimWithConfig(claimId, clock, async (c) => {
    if (c.assignee || c.assignedQueue) return null;
    const product = await loadProduct(c.productCode);
    const staff = (await listStaff()).filter((s) => s.roles.includes('adjuster') && s.staff);
    const line = c.classification?.line ?? product?.line ?? 'motor';
    const toAssign = {
      line,
      province: c.report.lossPlace.province,
      reserveAmount: c.classification?.reserve.amount ?? c.report.estimatedAmount.amount,
      excludeStaffIds: c.filedBy ? [c.filedBy.id] : [],
    };
    const adjusters = staff.map((s) => ({
      staffId: s.userId,
      name: s.displayName,
      skills: (s.staff?.skills ?? []) as ProductLine[],
      regions: s.staff?.regions ?? [],
      openClaims: 0,
      authorityLimit: s.staff?.authorityLimit ?? 0,
      active: s.staff?.active ?? false,
    }));
    // Workload is compared among qualified adjusters only: their counters, kept in the transactions
    // that move claims on and off desks, in one BatchGet (not a count query per adjuster).
    const qualified = adjusters.filter((a) => qualifiesFor(a, toAssign));
    const loads = await readItems(workloadRead(qualified.map((a) => a.staffId)));
    for (const a of qualified) a.openClaims = loads.get(a.staffId) ?? 0;
    const result = assignClaim_(adjusters, toAssign);
    const stp = product
      ? straightThroughRecord(await evaluateStraightThrough(c, product))
      : { eligible: false, reasons: ['UNKNOWN_PRODUCT'] };
    const next =
      result.kind === 'adjuster'
        ? {
            ...c,
            assignee: {
              staffId: result.staffId,
              role: 'adjuster',
              name: staff.find((s) => s.userId === result.staffId)?.displayName,
            },
          }
        : { ...c, assignedQueue: result.queue };
    return {
      claim: { ...next, straightThrough: stp },
      events: [
        {
          type: 'ClaimAssigned',
          actor: SYSTEM,
          data: {
            to:
              result.kind === 'adjuster'
                ? { staffId: result.staffId, role: 'adjuster' }
                : { queue: result.queue },
            reason: result.reason,
            reasonText: result.reasonText,
          },
        },
      ],
    };
  });
  return { claimId, assignee: claim.assignee?.staffId ?? null, queue: claim.assignedQueue ?? null };
}
