import { fieldCrypto, fingerprint } from '../adapters/field-crypto.ts';
import type { BankAccount } from '../core/claim.ts';
import { DomainError } from '../core/errors.ts';
import {
  type FingerprintedBankAccount,
  maskAccountNumber,
  payoutAccountContext,
  type StoredBankAccount,
  type StoredReport,
} from '../core/payout-account.ts';

// The sealing and opening of payout account numbers, apart from the payout-account use cases
// (app/payout-account.ts, which re-exports them) because those send the verification code by
// email and SMS: the finance functions that only open a number for the bank file (through
// app/finance.ts) and staff records carried the message renderer with them.

export type PlainAccount = ReturnType<typeof BankAccount.parse>;

/** The account as it will be stored on the claim: the number sealed to this claim, a mask beside it. */
export async function sealPayoutAccount(claimId: string, account: PlainAccount): Promise<StoredBankAccount> {
  const [accountNumberSealed, accountFingerprint] = await Promise.all([
    fieldCrypto().seal(account.accountNumber, payoutAccountContext(claimId)),
    accountFingerprintOf(account.accountNumber),
  ]);
  return {
    bankName: account.bankName,
    accountHolder: account.accountHolder,
    accountMask: maskAccountNumber(account.accountNumber),
    accountNumberSealed,
    accountFingerprint,
  };
}

/** The keyed fingerprint of an account number (digits only), the same for a claim and a staff record. */
export const accountFingerprintOf = (accountNumber: string) =>
  fingerprint('payout-account', accountNumber.replace(/\D/g, ''));

/** A staff member's account as stored: bank, holder, mask and fingerprint; never the number. */
export async function fingerprintedAccount(account: PlainAccount): Promise<FingerprintedBankAccount> {
  return {
    bankName: account.bankName,
    accountHolder: account.accountHolder,
    accountMask: maskAccountNumber(account.accountNumber),
    accountFingerprint: await accountFingerprintOf(account.accountNumber),
  };
}

/** The report as stored: verbatim, except the payout account number, which is sealed. */
export async function sealReport(
  claimId: string,
  report: Omit<StoredReport, 'payoutAccount'> & { payoutAccount: PlainAccount },
): Promise<StoredReport> {
  return { ...report, payoutAccount: await sealPayoutAccount(claimId, report.payoutAccount) };
}

/**
 * THE way to the full account number, for the bank file (finance payment batches) and the audited
 * finance reveal. `account` is the claim's `report.payoutAccount` or a payout item's `account`
 * (the same shape); `claimId` must be the claim it was sealed for, or it does not open
 * (FieldDecryptionError). Needs `access.fieldKey: 'decrypt'` on the calling function. The caller
 * must not log, store or return the result anywhere but where it is needed.
 */
export async function revealAccountNumber(claimId: string, account: StoredBankAccount): Promise<string> {
  if (!account.accountNumberSealed) {
    throw new DomainError('INTERNAL', 'This payout account has no sealed account number');
  }
  return fieldCrypto().open(account.accountNumberSealed, payoutAccountContext(claimId));
}
