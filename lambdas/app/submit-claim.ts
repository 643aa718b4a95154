import { createHash } from 'node:crypto';
import {
  ClaimAlreadyExistsError,
  claimRead,
  createClaim,
  getClaim,
  nextSequence,
} from '../adapters/dynamo/claims-repo.ts';
import { readAll, readNothing } from '../adapters/dynamo/item-reads.ts';
import { policyVersions, storedPolicyRead } from '../adapters/dynamo/policies-repo.ts';
import { quotaRead } from '../adapters/dynamo/quota-repo.ts';
import { userRead } from '../adapters/dynamo/users-repo.ts';
import type { Channel, Claim, SubmitClaimRequest } from '../core/claim.ts';
import { formatClaimNumber } from '../core/claim-number.ts';
import { requiredDocuments } from '../core/dossier.ts';
import { DomainError, QuotaExceededError } from '../core/errors.ts';
import { quotaWindow } from '../core/quotas.ts';
import { type Actor, GENESIS_HASH, sealEvents } from '../core/events.ts';
import { maskedReport } from '../core/payout-account.ts';
import { acknowledgedNotice } from '../core/privacy-notice.ts';
import { currentIsAtLoss, versionAtLoss } from '../core/policy-at-loss.ts';
import { FACTS_KIND_BY_LINE } from '../core/products.ts';
import { businessDate, type Clock } from '../core/time.ts';
import { contactDiffers } from '../core/controls.ts';
import { enteredAccountCheck } from '../core/payout-account-check.ts';
import { customerRecord } from './approval-controls.ts';
import { startSignal } from '../core/workflow-signals.ts';
import { claimSummary } from './claim-view.ts';
import { sealReport } from './sealed-account.ts';
import { loadProduct, loadQuotas, readWithConfig } from './products.ts';
import { takeClaimQuota } from './quotas.ts';

export interface SubmitCommand {
  report: SubmitClaimRequest;
  customerId: string;
  channel: Channel;
  actor: Actor;
  /** The client's Idempotency-Key: the claim id derives from it, so a retry finds the same claim. */
  idempotencyKey: string;
  /**
   * Whether staff filing the claim typed its payout account (default: yes, whenever staff files).
   * Only a claim made from an e-mail that came, authenticated, from the customer's registered
   * address carries the customer's own account (app/claim-from-intake.ts).
   */
  accountEnteredByStaff?: boolean;
}

const claimIdFor = (customerId: string, key: string) =>
  createHash('sha256').update(`${customerId}\u0000${key}`).digest('hex').slice(0, 26);

/**
 * First notice of loss. Stores the claim as reported (the payout account number sealed to the
 * claim, never in clear) with its first event, which carries only the masked account, and the
 * signal that starts its lifecycle workflow (delivered from the table stream, retried until it
 * lands), which runs the automatic checks and classification.
 */
export async function submitClaim(cmd: SubmitCommand, clock: Clock) {
  const { privacyNotice: noticeVersion, ...report } = cmd.report;
  const { customerId } = cmd;
  const claimId = claimIdFor(customerId, cmd.idempotencyKey);
  const window = quotaWindow(clock.now());
  const ownProfile = cmd.actor.kind === 'customer' ? cmd.actor.id : undefined;
  // One strongly consistent BatchGet: the policy, the claim a retry of this key already filed,
  // today's claims counter, the signed-in customer's own profile (and the configuration when this
  // container does not have it yet).
  const read = await readWithConfig(
    readAll({
      current: storedPolicyRead(report.policyNumber),
      existing: claimRead(claimId),
      quota: quotaRead('claims', customerId, window.date),
      profile: ownProfile ? userRead(ownProfile) : readNothing,
    }),
  );
  const inForceNow = read.current?.policy;
  // Customers only ever see their own policies: someone else's number reads as not found.
  if (!inForceNow || inForceNow.customerId !== customerId) {
    throw new DomainError('POLICY_NOT_FOUND', 'No such policy among yours', {
      policyNumber: report.policyNumber,
    });
  }
  // The claim is checked and assessed on the version in force at the loss, not the one current now:
  // an endorsement recorded or taking effect after the loss never applies to it (the checks refer
  // a claim whose policy widened after the loss to a person: core/checks.ts).
  const policy = currentIsAtLoss(read.current, report.lossAt)
    ? inForceNow
    : (versionAtLoss(await policyVersions(report.policyNumber), report.lossAt)?.policy ?? inForceNow);
  const product = await loadProduct(policy.productCode);
  if (!product) throw new DomainError('PRODUCT_NOT_FOUND', `Unknown product ${policy.productCode}`);
  if (FACTS_KIND_BY_LINE[product.line] !== report.facts.kind) {
    throw new DomainError('FACTS_DO_NOT_MATCH_PRODUCT', `This policy needs ${product.line} details`, {
      fields: [{ path: 'facts.kind', code: 'invalid_value', message: `expected ${product.line}` }],
    });
  }
  if (read.existing) return { claim: claimSummary(read.existing), created: false };
  // No claim is filed without the notice in force given first. Judged after a retry's claim is
  // found: a retry of a claim filed before the notice's version changed gets that claim, not a
  // refusal that would have the app file it again under a new key.
  const privacyNotice = acknowledgedNotice(cmd.channel, noticeVersion);

  // Taken before a claim number is drawn, so a refusal (however many submissions race at the
  // limit) never leaves a gap in the numbers; the slot is the claim's (by id), so a retry after a
  // failure below finds it again rather than counting twice. The read above tells whether it holds
  // one already, and whether today's quota is used up (then refused without another request).
  if (!read.quota.holders.has(claimId)) {
    const { claimsPerCustomerPerDay: limit } = await loadQuotas();
    if (read.quota.used >= limit)
      throw new QuotaExceededError('claims', limit, window.retryAfterSeconds, window.resetsAt.toISOString());
    await takeClaimQuota(customerId, claimId, clock);
  }
  const byStaff = cmd.actor.kind === 'staff' && cmd.actor.id !== undefined;
  // A contact that differs from the customer's record: when the customer typed it in themselves it
  // is theirs; when staff typed it in, it waits for the customer's confirmation and notifications
  // keep going to the registered contact meanwhile.
  const { registered, locale: profileLocale, name } = await customerRecord(customerId, read.profile);
  const contactCheck =
    registered && contactDiffers(report.contact, registered)
      ? {
          status: byStaff ? ('unconfirmed' as const) : ('confirmed' as const),
          registered,
          ...(byStaff ? {} : { confirmedAt: clock.now().toISOString() }),
        }
      : undefined;

  const now = clock.now();
  // A payout account staff typed waits for the customer: the claim is stored with its payment held
  // (core/payout-account-check.ts), and the acknowledgement tells the registered contact.
  const accountCheck = enteredAccountCheck(
    byStaff && cmd.accountEnteredByStaff !== false
      ? { id: cmd.actor.id as string, role: cmd.actor.role ?? 'staff' }
      : undefined,
    registered,
    policy.contacts,
    now.toISOString(),
  );
  const year = Number(businessDate(now).slice(0, 4));
  const claimNumber = formatClaimNumber(year, await nextSequence(`CLAIMNO#${year}`));
  const stored = await sealReport(claimId, report);
  const events = sealEvents(
    claimId,
    0,
    GENESIS_HASH,
    [
      {
        type: 'ClaimSubmitted',
        actor: cmd.actor,
        data: {
          channel: cmd.channel,
          claimNumber,
          policyNumber: policy.policyNumber,
          policyVersion: policy.version,
          report: maskedReport(stored),
          ...(privacyNotice ? { privacyNotice: privacyNotice.version } : {}),
          ...(contactCheck ? { contactStatus: contactCheck.status } : {}),
          ...(accountCheck.payoutAccountCheck
            ? { payoutAccountStatus: 'unconfirmed', paymentHeld: true }
            : {}),
        },
      },
    ],
    now,
  );
  const claim: Claim = {
    claimId,
    claimNumber,
    customerId,
    policyNumber: policy.policyNumber,
    policyVersion: policy.version,
    productCode: policy.productCode,
    channel: cmd.channel,
    status: 'SUBMITTED',
    report: stored,
    // The customer filing in their own app writes in the language they see; a claim filed for them
    // (by phone, by staff) is written to them in the language of their record.
    locale: cmd.actor.kind === 'customer' ? report.locale : (profileLocale ?? report.locale),
    checks: [],
    requiredDocuments: requiredDocuments(product, report),
    receivedDocuments: [],
    submittedAt: now.toISOString(),
    updatedAt: now.toISOString(),
    version: 1,
    revision: 1,
    lastEventSeq: events.length,
    lastEventHash: events.at(-1)?.hash ?? GENESIS_HASH,
    ...(byStaff ? { filedBy: { id: cmd.actor.id as string, role: cmd.actor.role ?? 'staff' } } : {}),
    ...(privacyNotice ? { privacyNotice: { ...privacyNotice, at: now.toISOString() } } : {}),
    ...(name ? { customerName: name } : {}),
    ...(contactCheck ? { contactCheck } : {}),
    ...accountCheck,
  };
  let created = true;
  try {
    await createClaim(claim, events, [startSignal()]);
  } catch (e) {
    if (!(e instanceof ClaimAlreadyExistsError)) throw e;
    created = false;
  }
  const current = created ? claim : ((await getClaim(claimId)) ?? claim);
  return { claim: claimSummary(current), created };
}
