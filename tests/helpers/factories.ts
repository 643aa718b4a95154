import type { Claim, SubmitClaimInput, SubmitClaimRequest } from '../../lambdas/core/claim.ts';
import { GENESIS_HASH } from '../../lambdas/core/events.ts';
import { maskAccountNumber, type StoredReport } from '../../lambdas/core/payout-account.ts';
import type { Policy } from '../../lambdas/core/policy.ts';
import { PRIVACY_NOTICE_VERSION } from '../../lambdas/core/privacy-notice.ts';

/** Test factories: a valid object by default, overridden field by field. */
export function makeClaimRequest(overrides: Partial<SubmitClaimInput> = {}): SubmitClaimRequest {
  return {
    policyNumber: 'MOT-2026-0001',
    lossAt: '2026-11-20T08:30:00+07:00',
    lossPlace: { address: '123 Láng Hạ, Đống Đa', province: 'Hà Nội' },
    cause: 'collision',
    description: 'Va chạm với xe máy ở ngã tư, vỡ đèn pha và móp cản trước.',
    facts: { kind: 'motor', vehiclePlate: '30A-123.45', policeAttended: false },
    estimatedAmount: { amount: 8_500_000, currency: 'VND' },
    contact: { phone: '0912345678', email: 'an.nguyen@example.vn' },
    payoutAccount: {
      bankName: 'Vietcombank',
      accountNumber: '0011004455667',
      accountHolder: 'NGUYEN VAN AN',
    },
    locale: 'vi',
    // Shown on the new-claim page (or read out on the phone) before the claim is filed.
    privacyNotice: PRIVACY_NOTICE_VERSION,
    ...overrides,
  } as SubmitClaimRequest;
}

/**
 * A contact, plate and payout account of a suite's own (`series` 301, 302, … one per suite; `n`
 * one per claim), so its claims stay out of the fraud-link partitions the other suites' claims
 * share: the link read takes 20 claims per attribute, so a crowd of an.nguyen's claims there would
 * hide the other customer fraud-referral looks for.
 */
export function ownAttributes(series: number, emailName: string, n: number) {
  const nn = String(n).padStart(2, '0');
  return {
    contact: { phone: `09770${series}${nn}`, email: `${emailName}.${n}@example.vn` },
    facts: { kind: 'motor' as const, vehiclePlate: `29B-${series}.${nn}`, policeAttended: false },
    payoutAccount: {
      bankName: 'Vietcombank',
      accountNumber: `0011${series}0${String(n).padStart(4, '0')}`,
      accountHolder: 'NGUYEN VAN AN',
    },
  };
}

export function makePolicy(overrides: Partial<Policy> = {}): Policy {
  return {
    policyNumber: 'MOT-2026-0001',
    version: 1,
    changeType: 'new',
    productCode: 'MOTOR_OD',
    customerId: 'CUS-0001',
    holderName: 'Nguyễn Văn An',
    effectiveFrom: '2026-01-01T00:00:00+07:00',
    effectiveTo: '2026-12-31T23:59:59+07:00',
    status: 'in_force',
    premium: 9_800_000,
    insuredValue: 650_000_000,
    addOns: [],
    covers: [
      {
        code: 'OD',
        name: { vi: 'Vật chất xe', en: 'Own damage' },
        causes: ['collision', 'theft', 'fire', 'flood'],
        sumInsured: 650_000_000,
        deductible: { percentBps: 1000, minimum: 500_000, waivedOnTotalLoss: true },
      },
    ],
    insuredObject: { vehiclePlate: '30A-123.45' },
    contacts: [],
    ...overrides,
  };
}

/**
 * The report as stored: the account number masked and "sealed". Pure tests never open it, so the
 * sealed value is a well-formed placeholder; integration tests get real ones from the API.
 */
export function makeStoredReport(overrides: Partial<SubmitClaimInput> = {}): StoredReport {
  // The notice's version is recorded on the claim (`privacyNotice`), not in its report.
  const { payoutAccount, privacyNotice: _notice, ...rest } = makeClaimRequest(overrides);
  return {
    ...rest,
    payoutAccount: {
      bankName: payoutAccount.bankName,
      accountHolder: payoutAccount.accountHolder,
      accountMask: maskAccountNumber(payoutAccount.accountNumber),
      accountNumberSealed: { alg: 'AES-256-GCM', edk: 'AA==', iv: 'AA==', ct: 'AA==', tag: 'AA==' },
    },
  };
}

export function makeClaim(overrides: Partial<Claim> = {}): Claim {
  const report = makeStoredReport();
  return {
    claimId: 'c0ffee0000000000000000000a',
    claimNumber: 'BT-2026-000001',
    customerId: 'CUS-0001',
    policyNumber: report.policyNumber,
    productCode: 'MOTOR_OD',
    channel: 'web',
    status: 'SUBMITTED',
    report,
    locale: 'vi',
    checks: [],
    requiredDocuments: ['claim_letter', 'damage_photos'],
    receivedDocuments: [],
    submittedAt: '2026-11-21T02:00:00.000Z',
    updatedAt: '2026-11-21T02:00:00.000Z',
    version: 1,
    revision: 1,
    lastEventSeq: 0,
    lastEventHash: GENESIS_HASH,
    ...overrides,
  };
}
