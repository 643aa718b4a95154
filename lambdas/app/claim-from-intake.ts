import { getClaim } from '../adapters/dynamo/claims-repo.ts';
import { saveEmailRecord } from '../adapters/dynamo/inbound-email-repo.ts';
import { getPolicy } from '../adapters/dynamo/policies-repo.ts';
import { customerProfile } from '../adapters/dynamo/users-repo.ts';
import { readRawEmail } from '../adapters/inbound-store.ts';
import { parseEmail } from '../adapters/mail-parser.ts';
import { DomainError } from '../core/errors.ts';
import {
  emailReport,
  type InboundEmailRecord,
  type IntakeClaimBody,
  intakeSummary,
  keptOfMessage,
  parseClaimEmail,
  takenByStaff,
  untrustedVerdicts,
} from '../core/inbound-email.ts';
import type { Clock } from '../core/time.ts';
import type { Caller as Principal } from '../core/caller.ts';
import { CLAIM_HANDLERS } from '../shared/roles.ts';
import { readMessage, submitAttachments } from './email-intake.ts';
import { checkVersion, loadIntakeRecord } from './intake-records.ts';
import { loadProduct } from './products.ts';
import { staffActor } from './staff-context.ts';
import { submitClaim } from './submit-claim.ts';

/**
 * Kept apart from app/intake-records.ts: making the claim re-reads the raw message for its
 * attachments, so only this function bundles the MIME parser (postal-mime, ~90 KB);
 * listing and linking records do not.
 */

/**
 * Makes a claim of a linked intake record through the same intake use case as the web form (channel
 * `email`, filed by this member of staff, so the sender's address waits for the customer's
 * confirmation if it is not their registered one, and so does a payout account staff typed or one
 * not from their authenticated registered address), with the message's attachments through the
 * same upload gate and verification. What the message lacked comes from the body. The message is
 * read again from the raw message (the record keeps the account number only masked; its text,
 * without one that could not be read); the record keeps neither text nor fields once it is a claim.
 */
export async function claimFromIntakeRecord(
  principal: Principal,
  intakeId: string,
  body: IntakeClaimBody,
  clock: Clock,
) {
  const staff = await staffActor(principal, CLAIM_HANDLERS);
  const r = await loadIntakeRecord(intakeId, clock);
  if (r.claimId)
    throw new DomainError('INTAKE_ALREADY_CLAIMED', 'A claim was already made from this message');
  checkVersion(r, body.expectedVersion);
  if (!r.customerId || !r.policyNumber)
    throw new DomainError('INTAKE_INCOMPLETE', 'Link the record to a customer and policy first', {
      missing: ['known_sender', 'policy_number'],
    });
  const [policy, customer] = await Promise.all([getPolicy(r.policyNumber), customerProfile(r.customerId)]);
  if (!policy || !customer || policy.customerId !== r.customerId)
    throw new DomainError('POLICY_NOT_FOUND', 'No such policy for this customer');
  const product = await loadProduct(policy.productCode);
  const mail = await parseEmail(await readRawEmail(r.rawKey)).catch(() => undefined);
  const read = mail
    ? readMessage(mail)
    : { text: r.text ?? '', fields: parseClaimEmail(r.subject, r.text ?? '') };
  const built = emailReport({
    fields: read.fields,
    text: read.text,
    sender: r.from ?? customer.email,
    phone: customer.phone,
    policy,
    line: product?.line,
    overrides: {
      ...(body.lossAt ? { lossAt: body.lossAt } : {}),
      ...(body.lossPlace ? { lossPlace: body.lossPlace } : {}),
      ...(body.cause ? { cause: body.cause } : {}),
      ...(body.payoutAccount ? { payoutAccount: body.payoutAccount } : {}),
      ...(body.description ? { description: body.description } : {}),
    },
  });
  if (!built.ok)
    throw new DomainError('INTAKE_INCOMPLETE', 'Fill in what is missing', { missing: built.missing });
  // The account is the customer's own only when staff typed none and it came from their registered
  // address with the sender authenticated (SES verdicts); otherwise it waits for the customer's
  // confirmation and the payment is held meanwhile (core/payout-account-check.ts).
  const fromCustomer =
    !body.payoutAccount &&
    r.from !== undefined &&
    r.from.trim().toLowerCase() === customer.email.trim().toLowerCase() &&
    r.verdicts !== undefined &&
    untrustedVerdicts(r.verdicts).length === 0;
  const { claim } = await submitClaim(
    {
      report: built.report,
      customerId: r.customerId,
      channel: 'email',
      actor: staff.actor,
      idempotencyKey: `email:${r.messageId}`,
      accountEnteredByStaff: !fromCustomer,
    },
    clock,
  );
  const filed = await getClaim(claim.claimId);
  const attachments =
    filed && mail ? await submitAttachments(filed, mail.attachments, r.intakeId, clock) : r.attachments;
  const next: InboundEmailRecord = keptOfMessage({
    ...r,
    ...takenByStaff(r),
    claimId: claim.claimId,
    claimNumber: claim.claimNumber,
    attachments,
    claimedBy: { id: staff.principal.userId, at: clock.now().toISOString() },
    version: r.version + 1,
  });
  await saveEmailRecord(next);
  return { ...intakeSummary(next), claim };
}
