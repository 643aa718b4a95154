import type { Claim, SubmitClaimRequest } from './claim.ts';

type Contact = SubmitClaimRequest['contact'];
import { missingDocuments } from './dossier.ts';
import { DomainError, type ErrorCode } from './errors.ts';
import type { DocumentType, ProductConfig } from './products.ts';

/**
 * Approval controls (issue 7): evidence before money, and segregation of duties. Pure: the use
 * cases load the claim, the staff directory and the product, and call these before they approve.
 */

/** A documented decision to go ahead without one required document. */
export interface DocumentWaiver {
  docType: DocumentType;
  reason: string;
  waivedAt: string;
  waivedBy: { id: string; role: string };
}

/**
 * Who may waive a required document: a supervisor (the person with authority over the claim
 * file), never the person who filed the claim. Kept here so the rule and the route agree.
 */
export const WAIVER_ROLES = ['supervisor'] as const;

/**
 * Above this payout (VND) the person who recorded the assessment may not also approve it alone; a
 * second person must (four eyes). Per product `approvalControls.singleAssessorMax`, else this.
 */
export const DEFAULT_SINGLE_ASSESSOR_MAX = 100_000_000;

export const singleAssessorMax = (product: ProductConfig | undefined): number =>
  product?.approvalControls?.singleAssessorMax ?? DEFAULT_SINGLE_ASSESSOR_MAX;

/**
 * Required documents neither received nor waived: what still blocks an approval. Waivers count
 * for this gate only; the Art. 31 dossier-complete clock still waits for the real documents.
 */
export function outstandingDocuments(
  c: Pick<Claim, 'requiredDocuments' | 'receivedDocuments' | 'waivers'>,
): DocumentType[] {
  const waived = new Set((c.waivers ?? []).map((w) => w.docType));
  return missingDocuments(c.requiredDocuments, c.receivedDocuments).filter((d) => !waived.has(d));
}

/** Thrown when money would move while a required document is neither received nor waived. */
export class DocumentsMissingError extends DomainError {
  override readonly name = 'DocumentsMissingError';
  constructor(readonly missing: DocumentType[]) {
    super('DOCUMENTS_MISSING', `Required documents are missing: ${missing.join(', ')}`, { missing });
  }
}

/** Evidence before money: refuses while any required document is outstanding. */
export function assertEvidence(c: Pick<Claim, 'requiredDocuments' | 'receivedDocuments' | 'waivers'>): void {
  const missing = outstandingDocuments(c);
  if (missing.length > 0) throw new DocumentsMissingError(missing);
}

export type SodCode = Extract<
  ErrorCode,
  | 'SOD_OWN_FILING'
  | 'SOD_SINGLE_ASSESSOR'
  | 'SOD_STAFF_PAYOUT_ACCOUNT'
  | 'SOD_STAFF_CONTACT'
  | 'SOD_SIU_REVIEWER'
  | 'SOD_OWN_REVIEW'
  | 'SOD_HANDLING_CONFLICT'
>;

export class SegregationOfDutiesError extends DomainError {
  override readonly name = 'SegregationOfDutiesError';
  constructor(code: SodCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}

/** What the staff directory says about a person, as far as these controls need it. */
export interface StaffFacts {
  userId: string;
  email?: string;
  phone?: string;
  /** Keyed fingerprint of the staff member's own account (never the number). */
  bankAccountFingerprint?: string;
}

/** The segregation-of-duties facts an approver needs to see, and the checks read. */
export interface SodFacts {
  filedBy?: string;
  assessedBy?: string;
  /** Staff whose registered bank account is the claim's payout account. */
  payoutAccountOfStaff: string[];
  /** Staff whose e-mail or phone is the contact given on the claim. */
  contactOfStaff: string[];
  /** SIU staff who investigated or concluded any of the claim's SIU cases (`siu` and its history). */
  siuReviewers: string[];
  singleAssessorMax: number;
}

/**
 * One Vietnamese number however it is written: `+84 912…`, `(+84) 912…`, `0084 912…`, `84912…`
 * (11 digits) and `0912…` are all `0912…`. Empty when there are no digits, which matches nothing.
 */
export const normalizePhone = (p: string): string => {
  const digits = p.replace(/\D/g, '');
  if (!digits) return '';
  if (digits.startsWith('0084')) return `0${digits.slice(4)}`;
  if (digits.startsWith('84') && digits.length === 11) return `0${digits.slice(2)}`;
  return digits.startsWith('0') ? digits : `0${digits}`;
};
const normalizeEmail = (e: string): string => e.trim().toLowerCase();

const DOTLESS_MAILBOXES = new Set(['gmail.com', 'googlemail.com']);

/**
 * The mailbox an address delivers to, for telling whether two addresses are one person's: case,
 * a sub-address (`an+claims@…`, RFC 5233) and, at Gmail, dots in the local part do not change it.
 * Only for segregation-of-duties matches, where taking two addresses for one errs on the side of a
 * check; never to decide that a message reached its owner (a provider may not deliver `+` tags).
 */
export function mailboxKey(e: string): string {
  const address = normalizeEmail(e);
  const at = address.lastIndexOf('@');
  if (at <= 0) return address;
  const domain = address.slice(at + 1);
  const local = address.slice(0, at).split('+')[0] || address.slice(0, at);
  if (DOTLESS_MAILBOXES.has(domain)) return `${local.replaceAll('.', '')}@gmail.com`;
  return `${local}@${domain}`;
}

/** Whether two contacts are one person's: the same mailbox ({@link mailboxKey}) or the same number. */
export function sameContact(
  a: { email?: string; phone?: string },
  b: { email?: string; phone?: string },
): { email: boolean; phone: boolean } {
  const phoneA = a.phone ? normalizePhone(a.phone) : '';
  const phoneB = b.phone ? normalizePhone(b.phone) : '';
  return {
    email: Boolean(a.email?.trim() && b.email?.trim() && mailboxKey(a.email) === mailboxKey(b.email)),
    phone: phoneA !== '' && phoneA === phoneB,
  };
}

/**
 * `payoutAccountFingerprint` is the keyed fingerprint of the claim's payout account (stored beside
 * the sealed number): staff accounts are matched by fingerprint, so nothing is opened to compare.
 */
export function sodFacts(
  c: Pick<Claim, 'filedBy' | 'assessment' | 'report' | 'siu'>,
  staff: readonly StaffFacts[],
  product: ProductConfig | undefined,
  payoutAccountFingerprint: string | undefined,
): SodFacts {
  const contact: Contact = c.report.contact;
  return {
    filedBy: c.filedBy?.id,
    assessedBy: c.assessment?.method === 'adjuster' ? c.assessment.recordedBy.id : undefined,
    payoutAccountOfStaff: staff
      .filter((s) => payoutAccountFingerprint && s.bankAccountFingerprint === payoutAccountFingerprint)
      .map((s) => s.userId),
    contactOfStaff: staff
      .filter((s) => {
        const same = sameContact(s, contact);
        return same.email || same.phone;
      })
      .map((s) => s.userId),
    siuReviewers: siuReviewersOf(c.siu),
    singleAssessorMax: singleAssessorMax(product),
  };
}

/** Who investigated or closed any SIU case of the claim, the current one and every earlier one, each once. */
function siuReviewersOf(s: Claim['siu']): string[] {
  if (!s) return [];
  const { history = [], ...current } = s;
  const ids = [...history, current].flatMap((k) => [k.investigator?.id, k.closedBy?.id]);
  return [...new Set(ids.filter((id): id is string => id !== undefined))];
}

/**
 * Whether `approverId` may approve (or vote to approve) `amount` on a claim with these facts.
 * Nobody approves a claim they filed, nor one whose SIU case they investigated or concluded (the
 * reviewer who cleared the fraud indicators does not also release the money); nobody approves
 * money going to a staff member's account or a claim whose contact is a staff member's (whoever
 * that member is: the claim needs investigating, not approving); the person who assessed alone
 * does not approve above the four-eyes amount.
 */
export function sodViolation(
  facts: SodFacts,
  approverId: string,
  amount: number,
): { code: SodCode; message: string; details: Record<string, unknown> } | undefined {
  if (facts.filedBy === approverId)
    return {
      code: 'SOD_OWN_FILING',
      message: 'You filed this claim; someone else must approve it',
      details: {},
    };
  if (facts.siuReviewers.includes(approverId))
    return {
      code: 'SOD_SIU_REVIEWER',
      message: "You investigated or concluded this claim's SIU case; someone else must approve its payment",
      details: {},
    };
  if (facts.payoutAccountOfStaff.length > 0)
    return {
      code: 'SOD_STAFF_PAYOUT_ACCOUNT',
      message: 'The payout account belongs to a member of staff',
      details: { staffIds: facts.payoutAccountOfStaff },
    };
  if (facts.contactOfStaff.length > 0)
    return {
      code: 'SOD_STAFF_CONTACT',
      message: 'The contact on the claim belongs to a member of staff',
      details: { staffIds: facts.contactOfStaff },
    };
  if (facts.assessedBy === approverId && amount > facts.singleAssessorMax)
    return {
      code: 'SOD_SINGLE_ASSESSOR',
      message: 'You assessed this claim alone; above this amount someone else must approve it',
      details: { limit: facts.singleAssessorMax, amount },
    };
  return undefined;
}

/**
 * Why `person` may not be given the claim to handle, or undefined: the staff member who filed it
 * (they would assess, set the amount of, their own filing), or the one whose contact or bank
 * account is on it. Auto-assignment already passes over the filer; a supervisor's manual
 * reassignment is held to the same rule.
 */
export function handlingConflict(
  c: Pick<Claim, 'filedBy' | 'report'>,
  payoutAccountFingerprint: string | undefined,
  person: StaffFacts,
): { code: SodCode; message: string; reason: 'filed' | 'payout_account' | 'contact' } | undefined {
  const conflict = (reason: 'filed' | 'payout_account' | 'contact', message: string) => ({
    code: 'SOD_HANDLING_CONFLICT' as const,
    message,
    reason,
  });
  if (c.filedBy?.id === person.userId)
    return conflict('filed', 'They filed this claim; someone else must handle it');
  if (payoutAccountFingerprint && person.bankAccountFingerprint === payoutAccountFingerprint)
    return conflict('payout_account', 'The payout account is theirs');
  const same = sameContact(person, c.report.contact);
  if (same.email || same.phone) return conflict('contact', 'The contact on the claim is theirs');
  return undefined;
}

export function assertNoSodViolation(facts: SodFacts, approverId: string, amount: number): void {
  const v = sodViolation(facts, approverId, amount);
  if (v) throw new SegregationOfDutiesError(v.code, v.message, v.details);
}

/**
 * Where notifications to the customer go: the contact registered on their customer record, unless
 * the customer confirmed the (different) contact given on this claim.
 */
export function notificationContact(c: Pick<Claim, 'report' | 'contactCheck'>): RegisteredContact {
  const check = c.contactCheck;
  if (!check || check.status === 'confirmed') return c.report.contact;
  return check.registered;
}

/** The contact on the customer's record (a customer profile may have no phone). */
export interface RegisteredContact {
  email: string;
  phone?: string;
}

/** True when the contact given on the claim differs from the registered one. */
export function contactDiffers(given: Contact, registered: RegisteredContact): boolean {
  return (
    normalizeEmail(given.email) !== normalizeEmail(registered.email) ||
    (registered.phone !== undefined && normalizePhone(given.phone) !== normalizePhone(registered.phone))
  );
}

/** Where one customer notification goes: each address and number once. */
export interface CustomerRecipients {
  emails: string[];
  phones: string[];
}

/**
 * Every recipient of a notification to the customer: their own contact ({@link notificationContact})
 * first, then the contacts registered on the policy file by the policy administration system (the
 * policyholder's registered contacts that notifications go to). Those come from the insurer's own
 * system, so unlike a contact typed on a claim they need no confirmation. The same address (case
 * aside) or number (`+84…` and `0…` alike) is counted once.
 */
export function customerRecipients(
  own: RegisteredContact,
  policyContacts: readonly { email?: string; phone?: string }[],
): CustomerRecipients {
  const emails = new Map<string, string>();
  const phones = new Map<string, string>();
  const add = (email: string | undefined, phone: string | undefined) => {
    if (email && !emails.has(normalizeEmail(email))) emails.set(normalizeEmail(email), email.trim());
    if (phone && !phones.has(normalizePhone(phone))) phones.set(normalizePhone(phone), phone);
  };
  add(own.email, own.phone);
  for (const c of policyContacts) add(c.email, c.phone);
  return { emails: [...emails.values()], phones: [...phones.values()] };
}
