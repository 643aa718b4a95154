import { customerProfile } from '../adapters/dynamo/users-repo.ts';
import { sendEmail } from '../adapters/notifier.ts';
import { notificationContact } from '../core/controls.ts';
import { missingDocuments } from '../core/dossier.ts';
import { DomainError } from '../core/errors.ts';
import { SYSTEM } from '../core/events.ts';
import { DOCUMENT_TEXT, t } from '../core/messages.ts';
import type { Clock } from '../core/time.ts';
import { formatDateTime, greeting } from '../core/format.ts';
import { getClaimWithConfig, mutateClaim } from './claim-store.ts';
import { sendOnce } from './notifications.ts';
import { loadProduct } from './products.ts';
import { renderShipped } from './templates.ts';
import { renderMessage } from '../core/render-message.ts';
import { logger } from '../runtime/logger.ts';
import { ACKNOWLEDGEMENT } from '../core/templates.ts';

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
  // A payout account staff typed in is told to the customer at the contact registered on their
  // record (never one typed on the claim), with how to confirm it or object: until then the payment
  // is held (core/payout-account-check.ts).
  const check = c.payoutAccountCheck?.status === 'unconfirmed' ? c.payoutAccountCheck : undefined;
  const account = c.report.payoutAccount;
  // The registered contact unless the customer confirmed the one given on the claim.
  const to = check?.registered?.email ?? notificationContact(c).email;
  const data = {
    customerName: registeredName ?? c.report.payoutAccount.accountHolder,
    greeting: greeting(registeredName ?? c.report.payoutAccount.accountHolder, c.locale),
    claimNumber: c.claimNumber,
    policyNumber: c.policyNumber,
    productName: product ? product.name[c.locale] : c.productCode,
    receivedAt: formatDateTime(c.submittedAt, c.locale),
    documents: missing.map((d) => ({ name: t(DOCUMENT_TEXT, d, c.locale) })),
    hasDocuments: missing.length > 0,
    claimUrl: `${webBaseUrl.replace(/\/$/, '')}/#/claims/${c.claimId}`,
    payoutCheck: check
      ? { bankName: account.bankName, accountMask: account.accountMask, accountHolder: account.accountHolder }
      : false,
  };
  let message = await renderShipped(ACKNOWLEDGEMENT, c.locale, data);
  // A version an admin stored before the payout section existed (or without it) would leave the
  // customer untold of the account that waits for them: the shipped text goes out instead.
  if (check && !message.text.includes(account.accountMask)) {
    logger.warn('acknowledgement in force omits the payout account to confirm; sent the shipped one', {
      claimId,
    });
    message = renderMessage(ACKNOWLEDGEMENT.shipped, c.locale, data);
  }
  // A step retried after the email went out (the claim write below failed) does not send it again.
  let messageId = '';
  await sendOnce(
    claimId,
    'acknowledgement',
    async () => {
      messageId = await sendEmail(to, message);
    },
    { markedBy: 'change' },
  );
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
            noticesSent: ['acknowledgement'],
          },
    undefined,
    c,
  );
  return { claimId, sent: true };
}
