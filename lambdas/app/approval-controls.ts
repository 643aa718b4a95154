import { customerProfile, listStaff, type UserProfile } from '../adapters/dynamo/users-repo.ts';
import type { Claim } from '../core/claim.ts';
import {
  type DocumentWaiver,
  type RegisteredContact,
  type SodFacts,
  SegregationOfDutiesError,
  type StaffFacts,
  WAIVER_ROLES,
  outstandingDocuments,
  sodFacts,
} from '../core/controls.ts';
import { missingDocuments } from '../core/dossier.ts';
import { DomainError } from '../core/errors.ts';
import type { ProductConfig } from '../core/products.ts';
import type { WaiverBody } from '../core/staff-schemas.ts';
import type { Clock } from '../core/time.ts';
import type { Caller as Principal } from '../core/caller.ts';
import { mutateClaim } from './claim-store.ts';
import { loadProduct } from './products.ts';
import { staffActor } from './staff-context.ts';

/** Everyone in the staff directory, active or not: a former employee's account is still theirs. */
export const staffFacts = (people: readonly UserProfile[]): StaffFacts[] =>
  people.map((p) => ({
    userId: p.userId,
    email: p.email,
    phone: p.phone,
    bankAccountFingerprint: p.staff?.bankAccount?.accountFingerprint,
  }));

/** The segregation-of-duties facts of a claim, from the staff directory as it is now. */
export async function loadSodFacts(
  c: Claim,
  product?: ProductConfig,
  people?: readonly UserProfile[],
): Promise<SodFacts> {
  const [staff, p] = await Promise.all([people ?? listStaff(), product ?? loadProduct(c.productCode)]);
  return sodFacts(c, staffFacts(staff), p, c.report.payoutAccount.accountFingerprint);
}

/** What an approver sees next to the decision: what is missing, what was waived and by whom, SoD facts. */
export function approvalControlsView(c: Claim, facts: SodFacts, staffNames: ReadonlyMap<string, string>) {
  const ids = [
    ...(c.waivers ?? []).map((w) => w.waivedBy.id),
    facts.filedBy,
    facts.assessedBy,
    ...facts.payoutAccountOfStaff,
    ...facts.contactOfStaff,
    c.payoutAccountCheck?.verifiedBy?.id,
    ...facts.siuReviewers,
  ].filter((id): id is string => Boolean(id));
  return {
    /** Names of the staff these facts mention (an adjuster's console has no staff list of its own). */
    names: Object.fromEntries(ids.map((id) => [id, staffNames.get(id) ?? id])),
    outstandingDocuments: outstandingDocuments(c),
    notReceivedDocuments: missingDocuments(c.requiredDocuments, c.receivedDocuments),
    waivers: c.waivers ?? [],
    sod: facts,
    contactCheck: c.contactCheck,
  };
}

/** Claims past the point where documents still matter to the decision. */
const DECIDED = [
  'APPROVED',
  'PARTIALLY_APPROVED',
  'REJECTED',
  'PAYMENT_QUEUED',
  'PAID',
  'CLOSED',
  'CLOSED_NO_RESPONSE',
];

/**
 * A supervisor decides to go ahead without one required document, with a reason. The waiver
 * satisfies the approval gate (never the Art. 31 dossier-complete clock) and is shown to every
 * later approver and in the audit trail (`DocumentWaived`). Whoever filed the claim may not waive.
 */
export async function waiveDocument(principal: Principal, claimId: string, body: WaiverBody, clock: Clock) {
  const s = await staffActor(principal, WAIVER_ROLES);
  return mutateClaim(
    claimId,
    clock,
    (c) => {
      if (DECIDED.includes(c.status))
        throw new DomainError('INVALID_TRANSITION', `Cannot waive documents on a claim in ${c.status}`);
      if (c.filedBy?.id === s.principal.userId)
        throw new SegregationOfDutiesError('SOD_OWN_FILING', 'You filed this claim; someone else must waive');
      if (!outstandingDocuments(c).includes(body.docType)) {
        throw new DomainError(
          'WAIVER_NOT_APPLICABLE',
          `${body.docType} is not an outstanding required document`,
          {
            docType: body.docType,
          },
        );
      }
      const waiver: DocumentWaiver = {
        docType: body.docType,
        reason: body.reason,
        waivedAt: clock.now().toISOString(),
        waivedBy: { id: s.principal.userId, role: s.role },
      };
      return {
        claim: { ...c, waivers: [...(c.waivers ?? []), waiver] },
        events: [
          {
            type: 'DocumentWaived',
            actor: s.actor,
            data: {
              docType: body.docType,
              reason: body.reason,
              outstanding: outstandingDocuments({ ...c, waivers: [...(c.waivers ?? []), waiver] }),
            },
          },
        ],
      };
    },
    body.expectedVersion,
  );
}

/** The contact on the customer's record, if the customer has a profile with us. */
export async function registeredContactOf(customerId: string): Promise<RegisteredContact | undefined> {
  return (await customerRecord(customerId)).registered;
}

/** The customer's record: their registered contact and the language they asked to be written to in. */
export async function customerRecord(
  customerId: string,
  /** A profile already read (the signed-in customer's own): used when it is this customer's. */
  known?: UserProfile,
): Promise<{ registered?: RegisteredContact; locale?: 'vi' | 'en'; name?: string }> {
  const p = known?.customerId === customerId ? known : await customerProfile(customerId);
  return {
    ...(p?.displayName ? { name: p.displayName } : {}),
    ...(p?.email ? { registered: { email: p.email, ...(p.phone ? { phone: p.phone } : {}) } } : {}),
    ...(p?.locale ? { locale: p.locale } : {}),
  };
}

/**
 * The customer, signed in, confirms the contact given on their claim (e.g. one a call-centre agent
 * typed in): from now on notifications go there instead of to the registered contact.
 */
export async function confirmContact(principal: Principal, claimId: string, clock: Clock) {
  return mutateClaim(claimId, clock, (c) => {
    if (!principal.customerId || c.customerId !== principal.customerId)
      throw new DomainError('CLAIM_NOT_FOUND', 'Claim not found');
    if (!c.contactCheck || c.contactCheck.status === 'confirmed')
      throw new DomainError('CONTACT_ALREADY_CONFIRMED', 'Nothing to confirm');
    const now = clock.now().toISOString();
    return {
      claim: { ...c, contactCheck: { ...c.contactCheck, status: 'confirmed', confirmedAt: now } },
      events: [{ type: 'ContactConfirmed', actor: { kind: 'customer' }, data: { confirmedAt: now } }],
    };
  });
}
