import { claimsByPolicy } from '../adapters/dynamo/claims-repo.ts';
import { getPolicy } from '../adapters/dynamo/policies-repo.ts';
import { getUser } from '../adapters/dynamo/users-repo.ts';
import { sendEmail } from '../adapters/notifier.ts';
import { hasBlockingCheck, runIntakeChecks } from '../core/checks.ts';
import { classify } from '../core/classify.ts';
import { missingDocuments } from '../core/dossier.ts';
import { SYSTEM } from '../core/events.ts';
import { assertTransition } from '../core/lifecycle.ts';
import { DOCUMENT_TEXT, t } from '../core/messages.ts';
import type { Clock } from '../core/time.ts';
import { toBusinessIso } from '../core/time.ts';
import { mutateClaim } from './claim-store.ts';
import { loadProduct } from './products.ts';

/** Workflow step: the automatic checks on receipt. A failing claim is kept and referred. */
export async function validateClaim(claimId: string, clock: Clock) {
  const claim = await mutateClaim(claimId, clock, async (c) => {
    if (c.status !== 'SUBMITTED' || c.checks.length > 0) return null; // already done (a retried task)
    const [policy, product, onPolicy] = await Promise.all([
      getPolicy(c.policyNumber),
      loadProduct(c.productCode),
      claimsByPolicy(c.policyNumber),
    ]);
    const checks = runIntakeChecks({
      report: c.report,
      customerId: c.customerId,
      policy,
      product,
      priorClaims: onPolicy
        .filter((o) => o.claimId !== c.claimId && o.submittedAt <= c.submittedAt)
        .map((o) => ({ claimId: o.claimId, claimNumber: o.claimNumber, lossAt: o.report.lossAt, cause: o.report.cause })),
      receivedAt: new Date(c.submittedAt),
    });
    const blocked = hasBlockingCheck(checks);
    if (blocked) assertTransition(c.status, 'REFERRED');
    return {
      claim: { ...c, checks, status: blocked ? 'REFERRED' : c.status },
      events: [
        { type: 'ClaimChecked', actor: SYSTEM, data: { checks, passed: !blocked } },
        ...(blocked
          ? [{ type: 'ClaimReferred' as const, actor: SYSTEM, data: { reasons: checks.filter((x) => x.severity === 'block').map((x) => x.code) } }]
          : []),
      ],
    };
  });
  return { claimId, status: claim.status, blocked: hasBlockingCheck(claim.checks), checks: claim.checks.map((c) => c.code) };
}

/** Workflow step: product line, cause, severity band and the initial case reserve. */
export async function classifyClaim(claimId: string, clock: Clock) {
  const claim = await mutateClaim(claimId, clock, async (c) => {
    if (c.classification) return null;
    const product = await loadProduct(c.productCode);
    if (!product) return null; // an unknown product was already referred by the checks
    const classification = classify(product, c.report.cause, c.report.estimatedAmount);
    return { claim: { ...c, classification }, events: [{ type: 'ClaimClassified', actor: SYSTEM, data: { ...classification } }] };
  });
  return { claimId, severityBand: claim.classification?.severityBand ?? null, line: claim.classification?.line ?? null };
}

/** Workflow step: the acknowledgement letter, in the customer's language, listing what to send. */
export async function sendAcknowledgement(claimId: string, clock: Clock, webBaseUrl: string) {
  let sent = false;
  await mutateClaim(claimId, clock, async (c) => {
    if (c.acknowledgedAt) return null; // a retried task: the letter already went out
    const [product, user] = await Promise.all([loadProduct(c.productCode), getUser(c.customerId)]);
    const missing = missingDocuments(c.requiredDocuments, c.receivedDocuments);
    const to = c.report.contact.email;
    const messageId = await sendEmail(to, 'acknowledgement', c.locale, {
      customerName: user?.displayName ?? c.report.payoutAccount.accountHolder,
      claimNumber: c.claimNumber,
      policyNumber: c.policyNumber,
      productName: product ? product.name[c.locale] : c.productCode,
      receivedAt: toBusinessIso(new Date(c.submittedAt)).replace('T', ' ').slice(0, 16),
      documents: missing.map((d) => ({ name: t(DOCUMENT_TEXT, d, c.locale) })),
      hasDocuments: missing.length > 0,
      claimUrl: `${webBaseUrl.replace(/\/$/, '')}/#/claims/${c.claimId}`,
    });
    sent = true;
    return { claim: { ...c, acknowledgedAt: clock.now().toISOString() }, events: [{ type: 'AcknowledgementSent', actor: SYSTEM, data: { channel: 'email', to, messageId } }] };
  });
  return { claimId, sent };
}

/**
 * Workflow step: parks the claim for a person. Stores the task token so the assessment use case
 * can resume the workflow, and moves the claim to waiting-for-documents or under-assessment.
 */
export async function awaitAssessment(claimId: string, taskToken: string, clock: Clock) {
  const claim = await mutateClaim(claimId, clock, (c) => {
    const missing = missingDocuments(c.requiredDocuments, c.receivedDocuments);
    const status = c.status === 'REFERRED' ? 'REFERRED' : missing.length > 0 ? 'AWAITING_DOCUMENTS' : 'UNDER_ASSESSMENT';
    assertTransition(c.status, status);
    return {
      claim: { ...c, status, waitToken: taskToken },
      events: [{ type: 'AssessmentAwaited', actor: SYSTEM, data: { status, missing } }],
    };
  });
  return { claimId, status: claim.status };
}
