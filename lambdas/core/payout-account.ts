import type { SubmitClaimRequest } from './claim.ts';
import { businessDate } from './time.ts';

/**
 * Personal data held at the field level (Decree 13/2023/ND-CP): a bank account number is stored
 * only as ciphertext beside a mask; everything else (events, notifications, screens, logs) carries
 * the mask. Only the bank file and an audited finance reveal ever see the full number.
 */

/** What a sealed field is for; part of the encryption context, so a ciphertext cannot change purpose. */
export const FIELD_PURPOSES = ['payout-account'] as const;
export type FieldPurpose = (typeof FIELD_PURPOSES)[number];

/**
 * An envelope-encrypted value as stored: AES-256-GCM under a data key that is itself encrypted by
 * the field key (KMS). Opaque outside the field-crypto adapter; base64 throughout.
 */
export interface SealedField {
  alg: 'AES-256-GCM';
  /** The data key, encrypted by the field key (KMS `CiphertextBlob`). */
  edk: string;
  iv: string;
  ct: string;
  tag: string;
}

/** Binds a sealed value to one claim and one purpose: moved to another claim, it fails to open. */
export interface FieldContext {
  claimId: string;
  purpose: FieldPurpose;
}

/** A payout account as every screen, event and notification may show it. */
export interface MaskedBankAccount {
  bankName: string;
  accountHolder: string;
  /** `•••• 1234`: the last four digits only. */
  accountMask: string;
}

/** A payout account as stored on the claim and the payout item. */
export interface StoredBankAccount extends MaskedBankAccount {
  accountNumberSealed: SealedField;
  /** Keyed fingerprint of the number (KMS HMAC): matches staff accounts without opening either. */
  accountFingerprint?: string;
}

/** A staff member's own account, kept only to keep claims paying into it from being approved (SoD). */
export interface FingerprintedBankAccount extends MaskedBankAccount {
  accountFingerprint: string;
}

/** The loss report as stored: what the customer sent, with the account number sealed. */
export type StoredReport = Omit<SubmitClaimRequest, 'payoutAccount'> & { payoutAccount: StoredBankAccount };

/** The loss report as clients and events see it. */
export type MaskedReport = Omit<SubmitClaimRequest, 'payoutAccount'> & { payoutAccount: MaskedBankAccount };

/**
 * `•••• 1234`: the last four digits, enough for a customer or an adjuster to recognise the account
 * and too few to pay into it. Numbers are 6–20 digits (BankAccount), so four digits never reveal
 * more than a third of one.
 */
export function maskAccountNumber(accountNumber: string): string {
  const digits = accountNumber.replace(/\s/g, '');
  return `•••• ${digits.slice(-4)}`;
}

/** The masked form of a stored account (drops the ciphertext, which clients have no use for). */
export function maskedAccount(a: MaskedBankAccount): MaskedBankAccount {
  return { bankName: a.bankName, accountHolder: a.accountHolder, accountMask: a.accountMask };
}

/** The report with its payout account masked, for API views and the `ClaimSubmitted` event. */
export function maskedReport(report: StoredReport | MaskedReport): MaskedReport {
  return { ...report, payoutAccount: maskedAccount(report.payoutAccount) };
}

export const payoutAccountContext = (claimId: string): FieldContext => ({
  claimId,
  purpose: 'payout-account',
});

/** POST /claims/{claimId}/payout-account/confirm (./requests.ts, shared with the web apps). */
export { ConfirmPayoutAccountBody } from './requests.ts';

// ---- confirming a change of account: how often a day ---------------------------------------------

/** Wrong codes a claim's account change tolerates in one Vietnamese day, across every code sent. */
export const MAX_CODE_ATTEMPTS = 5;
/** Codes sent for one claim in one Vietnamese day (each an e-mail and an SMS to the customer). */
export const MAX_CODE_REQUESTS_PER_DAY = 5;

/** The pending change's counters, as the claim keeps them. */
export interface CodeCounters {
  requestedAt: string;
  attempts: number;
  requests?: number;
}

/**
 * The counters a new code starts with: today's wrong tries and codes carried over (a new code does
 * not wipe the wrong tries of the last one, or six guesses a code, asked for again and again, would
 * find it), a fresh count on a new day; `limit` when today's tries or codes are used up.
 */
export function nextCodeCounters(
  previous: CodeCounters | undefined,
  now: Date,
): { attempts: number; requests: number } | 'limit' {
  if (!previous || businessDate(new Date(previous.requestedAt)) !== businessDate(now))
    return { attempts: 0, requests: 1 };
  const requests = (previous.requests ?? 1) + 1;
  if (previous.attempts >= MAX_CODE_ATTEMPTS || requests > MAX_CODE_REQUESTS_PER_DAY) return 'limit';
  return { attempts: previous.attempts, requests };
}

/** True when today's wrong tries are used up: no code of this claim is accepted until tomorrow. */
export const codeLocked = (pending: CodeCounters, now: Date): boolean =>
  pending.attempts >= MAX_CODE_ATTEMPTS && businessDate(new Date(pending.requestedAt)) === businessDate(now);
