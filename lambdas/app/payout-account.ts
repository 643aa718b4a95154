import { getClaim } from '../adapters/dynamo/claims-repo.ts';
import { fieldCrypto } from '../adapters/field-crypto.ts';
import type { BankAccount } from '../core/claim.ts';
import { DomainError } from '../core/errors.ts';
import {
  type MaskedBankAccount,
  maskAccountNumber,
  payoutAccountContext,
  type StoredBankAccount,
  type StoredReport,
} from '../core/payout-account.ts';
import type { Clock } from '../core/time.ts';
import type { Principal } from '../http/principal.ts';
import { mutateClaim } from './claim-store.ts';
import { staffActor } from './staff-context.ts';

type PlainAccount = ReturnType<typeof BankAccount.parse>;

/** The account as it will be stored on the claim: the number sealed to this claim, a mask beside it. */
export async function sealPayoutAccount(claimId: string, account: PlainAccount): Promise<StoredBankAccount> {
  return {
    bankName: account.bankName,
    accountHolder: account.accountHolder,
    accountMask: maskAccountNumber(account.accountNumber),
    accountNumberSealed: await fieldCrypto().seal(account.accountNumber, payoutAccountContext(claimId)),
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

export interface RevealedAccount extends MaskedBankAccount {
  accountNumber: string;
}

/**
 * POST /claims/{claimId}/payout-account/reveal: finance sees the full number to pay it. Every
 * reveal is recorded as `PayoutAccountRevealed` on the claim's hash-chained events (who, in which
 * role; never the number). The number is decrypted before the audit event is written and returned
 * only after it is, so no reveal goes unrecorded.
 */
export async function revealPayoutAccount(
  principal: Principal,
  claimId: string,
  clock: Clock,
): Promise<RevealedAccount> {
  const staff = await staffActor(principal, ['finance']);
  const claim = await getClaim(claimId);
  if (!claim) throw new DomainError('CLAIM_NOT_FOUND', 'Claim not found');
  const account = claim.report.payoutAccount;
  const accountNumber = await revealAccountNumber(claimId, account);
  await mutateClaim(claimId, clock, (c) => ({
    claim: c,
    events: [
      {
        type: 'PayoutAccountRevealed',
        actor: staff.actor,
        data: { accountMask: account.accountMask, bankName: account.bankName },
      },
    ],
    recordsReadOnly: true,
  }));
  return {
    bankName: account.bankName,
    accountHolder: account.accountHolder,
    accountMask: account.accountMask,
    accountNumber,
  };
}
