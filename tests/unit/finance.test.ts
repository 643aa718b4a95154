import { describe, expect, it } from 'vitest';
import {
  awaitingFrom,
  advanceNumberOf,
  advancedAmount,
  BATCH_ID_PATTERN,
  bankRow,
  bankText,
  batchIdFor,
  type ConfirmationLine,
  confirmationField,
  finalTransfer,
  judgeLine,
  payoutNotBefore,
  type Payout,
  parseReference,
  parseVnd,
  payoutReference,
  pricedForPayment,
  reconciliationIdFor,
} from '../../lambdas/core/finance.ts';

const payout = (over: Partial<Payout> = {}): Payout => ({
  payoutId: 'C1',
  claimId: 'C1',
  claimNumber: 'BT-2026-000123',
  kind: 'final',
  amount: 7_650_000,
  interest: 0,
  currency: 'VND',
  account: {
    bankName: 'Ngân hàng TMCP Ngoại thương (Vietcombank)',
    accountMask: '•••• 5667',
    accountHolder: 'Nguyễn Văn Đạt',
    // The row takes the opened number as its own argument; the sealed field is never read here.
    accountNumberSealed: { alg: 'AES-256-GCM', edk: '', iv: '', ct: '', tag: '' },
  },
  queuedAt: '2026-11-30T03:00:00.000Z',
  date: '2026-11-30',
  status: 'batched',
  batchId: 'PB-20261130-0123456789ab',
  ...over,
});
const line = (over: Partial<ConfirmationLine> = {}): ConfirmationLine => ({
  line: 2,
  reference: 'BT-2026-000123',
  amount: '7.650.000',
  status: 'SUCCESS',
  reason: '',
  bankRef: 'FT1',
  account: '',
  ...over,
});
const released = { status: 'released' as const };

describe('payment batch ids', () => {
  it('are the same for the same cut-off and key, different otherwise', () => {
    const a = batchIdFor('2026-11-30T10:00:00.000Z', 'key-00000001');
    expect(a).toMatch(BATCH_ID_PATTERN);
    expect(batchIdFor('2026-11-30T10:00:00.000Z', 'key-00000001')).toBe(a);
    expect(batchIdFor('2026-11-30T10:00:00.001Z', 'key-00000001')).not.toBe(a);
    expect(batchIdFor('2026-11-30T10:00:00.000Z', 'key-00000002')).not.toBe(a);
    // Named by the Vietnamese business day: 23:30 UTC on 1 March is 06:30 on 2 March in Vietnam.
    expect(batchIdFor('2026-03-01T23:30:00.000Z', 'k')).toMatch(/^PB-20260302-/);
    expect(batchIdFor('2026-03-02T06:30:00+07:00', 'k')).toMatch(/^PB-20260302-/);
  });
});

describe('the bank file row', () => {
  it('folds Vietnamese to the characters banks accept and keeps the full account number', () => {
    expect(bankText('Nguyễn Văn Đạt', 70)).toBe('NGUYEN VAN DAT');
    // Nothing a spreadsheet would read as a formula.
    expect(bankText('-2+3 Nguyễn', 70)).toBe('2 3 NGUYEN');
    expect(bankText('=cmd|"/c calc"!A1', 70)).toBe('CMD /C CALC A1');
    const row = bankRow(payout(), 1, '0011004455667');
    expect(row).toEqual({
      seq: 1,
      beneficiaryName: 'NGUYEN VAN DAT',
      accountNumber: '0011004455667',
      bankName: 'NGAN HANG TMCP NGOAI THUONG VIETCOMBANK',
      amount: 7_650_000,
      description: 'BOI THUONG HO SO BT-2026-000123',
      reference: 'BT-2026-000123',
    });
  });

  it('names advances by their number and reads references back', () => {
    const adv = payout({ payoutId: 'C1-A2', kind: 'advance' });
    expect(payoutReference(adv)).toBe('BT-2026-000123-TU2');
    expect(bankRow(adv, 3, '1').description).toBe('TAM UNG BOI THUONG HO SO BT-2026-000123-TU2');
    expect(parseReference('bt-2026-000123-tu2')).toEqual({
      claimNumber: 'BT-2026-000123',
      advance: 2,
      attempt: 1,
    });
    expect(parseReference(' BT-2026-000123 ')).toEqual({ claimNumber: 'BT-2026-000123', attempt: 1 });
    expect(parseReference('BT-26-1')).toBeUndefined();
    // From the millionth claim of a year on, the sequence has seven digits (core/claim-number.ts).
    expect(parseReference('BT-2026-1000001')).toEqual({ claimNumber: 'BT-2026-1000001', attempt: 1 });
  });

  it('sends a payout the bank rejected under a new reference each time', () => {
    const failures = [
      { batchId: 'PB-20261201-aaaaaaaaaaaa', reason: 'BANK_REJECTED', at: '2026-12-01T03:00:00Z' },
    ];
    expect(payoutReference(payout({ failures }))).toBe('BT-2026-000123-L2');
    const adv = payout({ payoutId: 'C1-A2', kind: 'advance', failures: [...failures, ...failures] });
    expect(payoutReference(adv)).toBe('BT-2026-000123-TU2-L3');
    expect(bankRow(adv, 1, '1').description).toBe('TAM UNG BOI THUONG HO SO BT-2026-000123-TU2-L3');
    expect(parseReference('BT-2026-000123-TU2-L3')).toEqual({
      claimNumber: 'BT-2026-000123',
      advance: 2,
      attempt: 3,
    });
  });
});

describe('what a claim pays', () => {
  const money = (amount: number) => ({ amount, currency: 'VND' as const });

  it('names the advance an advance line pays, and none for the final payout', () => {
    expect(advanceNumberOf(payout({ payoutId: 'C1-A12', kind: 'advance' }))).toBe(12);
    expect(advanceNumberOf(payout())).toBeUndefined();
  });

  it('makes the final transfer of the decision, less the advances, plus late interest', () => {
    const advances = [{ amount: money(20_000_000) }, { amount: money(5_000_000) }];
    expect(advancedAmount({ advances })).toBe(25_000_000);
    expect(advancedAmount({})).toBe(0);
    expect(
      finalTransfer({
        decision: { amount: money(100_000_000) },
        advances,
        payment: { amount: money(75_030_000) },
      }),
    ).toEqual({
      decided: 100_000_000,
      advanced: 25_000_000,
      owed: 75_000_000,
      lateInterest: 30_000,
      amount: 75_030_000,
    });
    // Paid on time, no advance: the transfer is the decision.
    expect(
      finalTransfer({ decision: { amount: money(9_000_000) }, payment: { amount: money(9_000_000) } }),
    ).toEqual({ decided: 9_000_000, advanced: 0, owed: 9_000_000, lateInterest: 0, amount: 9_000_000 });
    // Nothing queued yet: no transfer to describe.
    expect(finalTransfer({ decision: { amount: money(9_000_000) } })).toBeUndefined();
  });
});

describe('late interest runs until the money goes', () => {
  // 100 million still owed, due at the end of 19 March 2026 (Vietnam), 10% a year.
  const queued = payout({
    amount: 100_000_000,
    interest: 0,
    owed: 100_000_000,
    dueAt: '2026-03-19T16:59:59.999Z',
  });

  it('adds interest to a payout queued on time but paid after its deadline', () => {
    // Written on 27 March: 8 days late, 100,000,000 × 10% × 8 / 365 = 219,178.
    expect(pricedForPayment(queued, new Date('2026-03-27T03:00:00Z'))).toEqual({
      amount: 100_219_178,
      interest: 219_178,
    });
    expect(pricedForPayment(queued, new Date('2026-03-19T09:00:00Z'))).toEqual({
      amount: 100_000_000,
      interest: 0,
    });
  });

  it('counts every further day of a payout queued late, and never less than it was queued with', () => {
    const late = { ...queued, amount: 100_054_795, interest: 54_795 }; // 2 days, at queueing
    expect(pricedForPayment(late, new Date('2026-03-27T03:00:00Z')).interest).toBe(219_178);
    expect(pricedForPayment(late, new Date('2026-03-20T03:00:00Z'))).toEqual({
      amount: 100_054_795,
      interest: 54_795,
    });
  });

  it('pays advances, and payouts queued before the deadline was kept on them, as queued', () => {
    const advance = payout({ kind: 'advance', payoutId: 'C1-A1', amount: 5_000_000, interest: 0 });
    expect(pricedForPayment(advance, new Date('2027-01-01T00:00:00Z'))).toEqual({
      amount: 5_000_000,
      interest: 0,
    });
    const old = payout({ amount: 7_650_000, interest: 0 });
    expect(pricedForPayment(old, new Date('2027-01-01T00:00:00Z'))).toEqual({
      amount: 7_650_000,
      interest: 0,
    });
  });
});

describe('reading the confirmation', () => {
  it('parses amounts as banks write them, integers only', () => {
    expect(parseVnd('7.650.000')).toBe(7_650_000);
    expect(parseVnd('7,650,000')).toBe(7_650_000);
    expect(parseVnd('7650000 VND')).toBe(7_650_000);
    expect(parseVnd('7650000.50')).toBeUndefined();
    expect(parseVnd('abc')).toBeUndefined();
  });

  it('knows the columns in Vietnamese and English', () => {
    expect(confirmationField('Mã tham chiếu')).toBe('reference');
    expect(confirmationField('SO TIEN')).toBe('amount');
    expect(confirmationField('Trạng thái')).toBe('status');
    expect(confirmationField('foo')).toBeUndefined();
  });

  it('pays only an exact match from a released batch', () => {
    expect(judgeLine(line(), payout(), released, false)).toEqual({ outcome: 'paid' });
    expect(judgeLine(line({ status: 'Thành công' }), payout(), released, false).outcome).toBe('paid');
  });

  it('lists everything else with a reason and changes nothing on a guess', () => {
    expect(judgeLine(line(), payout(), released, true).reason).toBe('DUPLICATE_LINE');
    expect(judgeLine(line(), undefined, undefined, false).reason).toBe('UNKNOWN_REFERENCE');
    expect(judgeLine(line(), payout({ status: 'paid' }), released, false).reason).toBe('ALREADY_PAID');
    expect(judgeLine(line(), payout(), { status: 'prepared' }, false).reason).toBe('NOT_IN_RELEASED_BATCH');
    expect(judgeLine(line(), payout({ status: 'awaiting' }), released, false).reason).toBe(
      'NOT_IN_RELEASED_BATCH',
    );
    expect(judgeLine(line({ amount: '7.650.001' }), payout(), released, false)).toEqual({
      outcome: 'unmatched',
      reason: 'AMOUNT_MISMATCH',
    });
    expect(judgeLine(line({ status: 'PENDING' }), payout(), released, false).reason).toBe('BAD_STATUS');
  });

  it('never reads a line about a rejected transfer as news of the payout’s next one', () => {
    // Rejected in its first batch, the payout is batched again and released: its second transfer.
    const again = payout({
      batchId: 'PB-20261202-bbbbbbbbbbbb',
      failures: [
        { batchId: 'PB-20261201-aaaaaaaaaaaa', reason: 'BANK_REJECTED', at: '2026-12-01T03:00:00Z' },
      ],
    });
    // The bank's cumulative end-of-day file for the first batch repeats the rejection, or reports
    // it paid after all: neither is about the new transfer, and nothing is applied.
    for (const status of ['THAT BAI', 'THANH CONG'])
      expect(judgeLine(line({ status }), again, released, false)).toEqual({
        outcome: 'unmatched',
        reason: 'EARLIER_TRANSFER',
      });
    // The line for the new transfer is read as usual.
    expect(judgeLine(line({ reference: 'BT-2026-000123-L2' }), again, released, false)).toEqual({
      outcome: 'paid',
    });
    // And once the new transfer is paid, the line about the rejected one still says so.
    expect(judgeLine(line(), { ...again, status: 'paid' }, released, false).reason).toBe('EARLIER_TRANSFER');
  });

  it('pays nothing, and returns nothing, on a line naming another account than the payout’s', () => {
    const mask = payout().account.accountMask;
    const last4 = mask.replace(/\D/g, '');
    expect(confirmationField('Số tài khoản')).toBe('account');
    // The full number or its last four digits, however written, that match: read as usual.
    for (const account of [`0011004${last4}`, last4, `•••• ${last4}`, `****${last4}`])
      expect(judgeLine(line({ account }), payout(), released, false)).toEqual({ outcome: 'paid' });
    // Another account: listed, whatever the bank says of it.
    for (const status of ['SUCCESS', 'FAILED'])
      expect(judgeLine(line({ status, account: '0011009999999' }), payout(), released, false)).toEqual({
        outcome: 'unmatched',
        reason: 'ACCOUNT_MISMATCH',
      });
    expect(judgeLine(line({ account: '12' }), payout(), released, false).reason).toBe('ACCOUNT_MISMATCH');
  });

  it('reads a rejected transfer with the bank’s reason', () => {
    expect(
      judgeLine(line({ status: 'FAILED', reason: 'Tài khoản đã đóng' }), payout(), released, false),
    ).toEqual({
      outcome: 'failed',
      reason: 'ACCOUNT_CLOSED',
      bankReason: 'Tài khoản đã đóng',
    });
    expect(judgeLine(line({ status: 'THAT BAI', reason: 'Sai ten' }), payout(), released, false).reason).toBe(
      'BANK_REJECTED',
    );
  });

  it('reports a rejection once; a later success pays a payout whose rejection is only reported', () => {
    const reported = payout({
      rejectionReported: {
        batchId: 'PB-20261201-aaaaaaaaaaaa',
        reason: 'BANK_REJECTED',
        reconciliationId: `RC-${'a'.repeat(24)}`,
        reportedBy: { id: 'u-1' },
        at: '2026-12-01T03:00:00Z',
      },
    });
    expect(judgeLine(line({ status: 'FAILED', reason: 'Sai ten' }), reported, released, false)).toEqual({
      outcome: 'unmatched',
      reason: 'REJECTION_REPORTED',
    });
    expect(judgeLine(line(), reported, released, false)).toEqual({ outcome: 'paid' });
  });

  it('identifies a file by its content', () => {
    expect(reconciliationIdFor('a,b\n')).toBe(reconciliationIdFor('a,b\n'));
    expect(reconciliationIdFor('a,b\n')).not.toBe(reconciliationIdFor('a,b\n\n'));
  });
});

describe('a new payout account waits out a cooling-off', () => {
  it('runs one after a supervisor verifies a staff-typed account by phone, not after the customer confirms it', () => {
    const at = '2026-12-01T03:00:00.000Z';
    const soon = new Date('2026-12-01T05:00:00Z');
    const byPhone = { payoutAccountCheck: { confirmedBy: 'phone', confirmedAt: at } };
    expect(payoutNotBefore(byPhone, soon)).toBe('2026-12-02T03:00:00.000Z');
    expect(payoutNotBefore(byPhone, new Date('2026-12-02T03:00:01Z'))).toBeUndefined();
    expect(
      payoutNotBefore({ payoutAccountCheck: { confirmedBy: 'customer', confirmedAt: at } }, soon),
    ).toBeUndefined();
    // A change and a verification: the later one's day counts.
    expect(payoutNotBefore({ ...byPhone, payoutAccountChangedAt: '2026-12-01T04:00:00.000Z' }, soon)).toBe(
      '2026-12-02T04:00:00.000Z',
    );
    expect(payoutNotBefore({ ...byPhone, payoutAccountChangedAt: '2026-11-30T23:00:00.000Z' }, soon)).toBe(
      '2026-12-02T03:00:00.000Z',
    );
  });

  it('keeps payouts of a claim whose account changed within a day out of batches until it ends', () => {
    const changedAt = '2026-12-01T03:00:00.000Z';
    const until = '2026-12-02T03:00:00.000Z';
    expect(payoutNotBefore({ payoutAccountChangedAt: changedAt }, new Date('2026-12-01T05:00:00Z'))).toBe(
      until,
    );
    expect(
      payoutNotBefore({ payoutAccountChangedAt: changedAt }, new Date('2026-12-02T03:00:01Z')),
    ).toBeUndefined();
    expect(payoutNotBefore({}, new Date())).toBeUndefined();
    // The queue sorts it from the later of the two, so a cut-off of now does not reach it.
    expect(awaitingFrom({ queuedAt: '2026-11-30T01:00:00.000Z', notBefore: until })).toBe(until);
    expect(awaitingFrom({ queuedAt: '2026-12-03T01:00:00.000Z', notBefore: until })).toBe(
      '2026-12-03T01:00:00.000Z',
    );
    expect(awaitingFrom({ queuedAt: '2026-11-30T01:00:00.000Z' })).toBe('2026-11-30T01:00:00.000Z');
  });
});
