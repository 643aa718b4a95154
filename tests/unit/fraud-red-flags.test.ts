import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FeatureRow } from '../../lambdas/core/fraud/features.ts';
import {
  compileRedFlags,
  RED_FLAG_CODES,
  type RedFlagCode,
  redFlagSentence,
} from '../../lambdas/core/fraud/red-flags.ts';
import { RED_FLAG_TEXT, t } from '../../lambdas/core/messages.ts';

const shipped = JSON.parse(readFileSync('lambdas/config/fraud-rules.json', 'utf8'));
const rules = compileRedFlags(shipped);

/** A claim no rule fires on. */
const calm: FeatureRow = {
  Days_Policy_Accident: 200,
  Days_Policy_Claim: 202,
  Days_Loss_Report: 2,
  Days_To_Policy_End: 160,
  SumInsuredChange_Claim: null,
  AddressChange_Claim: null,
  BankAccountChange_Claim: 'No',
  ContactChange_Claim: 'No',
  PastNumberOfClaims: 1,
  Claims_Last_12_Months: 1,
  Claims_In_Window: 0,
  ClaimAmount: 7_350_000,
  Amount_To_SumInsured: 0.01,
  Amount_To_Typical: 1,
  Threshold_Gap: 0.265,
  RoundAmount: 'No',
  PoliceReportFiled: 'Yes',
  WitnessPresent: 'No',
  Fault: null,
  AgeOfVehicle: 5,
  AgeOfItem: null,
  Make: 'Toyota',
  NumberOfSuppliments: 0,
  Channel: 'web',
  AgentType: 'Customer',
  ProductCode: 'MOTOR_PHYSICAL',
  Cause: 'collision',
  Linked_Claims: 0,
};

const codes = async (o: Partial<FeatureRow>) => (await rules.evaluate({ ...calm, ...o })).map((f) => f.code);

/** For each rule: a row just inside it and one just outside. */
const CASES: Record<RedFlagCode, { fires: Partial<FeatureRow>; quiet: Partial<FeatureRow> }> = {
  LOSS_SOON_AFTER_INCEPTION: { fires: { Days_Policy_Accident: 15 }, quiet: { Days_Policy_Accident: 16 } },
  LOSS_NEAR_EXPIRY: { fires: { Days_To_Policy_End: 0 }, quiet: { Days_To_Policy_End: -1 } },
  LATE_REPORTING: { fires: { Days_Loss_Report: 30 }, quiet: { Days_Loss_Report: 29 } },
  REPEAT_CLAIMANT: { fires: { Claims_Last_12_Months: 2 }, quiet: { Claims_Last_12_Months: 1 } },
  JUST_UNDER_THRESHOLD: {
    fires: { Threshold_Gap: 0.05, ClaimAmount: 9_500_000 },
    quiet: { Threshold_Gap: 0.051, ClaimAmount: 9_490_000 },
  },
  ROUND_AMOUNT: {
    fires: { RoundAmount: 'Yes', ClaimAmount: 20_000_000 },
    quiet: { RoundAmount: 'Yes', ClaimAmount: 19_000_000 },
  },
  CLAIM_CLUSTER: { fires: { Claims_In_Window: 2 }, quiet: { Claims_In_Window: 1 } },
  SHARED_ATTRIBUTE: { fires: { Linked_Claims: 1 }, quiet: { Linked_Claims: 0 } },
  SUM_INSURED_RAISED_BEFORE_LOSS: {
    fires: { SumInsuredChange_Claim: 60 },
    quiet: { SumInsuredChange_Claim: 61 },
  },
  PAYOUT_ACCOUNT_CHANGED: {
    fires: { BankAccountChange_Claim: 'Yes' },
    quiet: { BankAccountChange_Claim: 'No' },
  },
};

describe('red-flag rules (lambdas/config/fraud-rules.json)', () => {
  it('fires nothing on an ordinary claim', async () => {
    expect(await codes({})).toEqual([]);
  });

  for (const code of RED_FLAG_CODES) {
    it(`${code}: fires at its bound and not beyond`, async () => {
      expect(await codes(CASES[code].fires)).toEqual([code]);
      expect(await codes(CASES[code].quiet)).toEqual([]);
    });
  }

  it('does not fire on a missing value (no policy: no inception or expiry flag)', async () => {
    expect(
      await codes({ Days_Policy_Accident: null, Days_To_Policy_End: null, Threshold_Gap: null }),
    ).toEqual([]);
  });

  it('gives each flag its weight and a sentence in both languages with the claim’s values', async () => {
    const [flag] = await rules.evaluate({ ...calm, Days_Loss_Report: 45 });
    expect(flag).toEqual({
      code: 'LATE_REPORTING',
      weight: 1,
      detail: { vi: 'Khai báo muộn 45 ngày sau ngày tổn thất', en: 'Reported 45 days after the loss' },
    });
    const [under] = await rules.evaluate({ ...calm, Threshold_Gap: 0.02, ClaimAmount: 9_800_000 });
    expect(under?.detail.en).toBe('The amount VND 9.800.000 is only 2% below an authority limit');
    const [raised] = await rules.evaluate({ ...calm, SumInsuredChange_Claim: 12 });
    expect(raised).toMatchObject({
      code: 'SUM_INSURED_RAISED_BEFORE_LOSS',
      weight: 2,
      detail: {
        vi: 'Số tiền bảo hiểm được tăng 12 ngày trước ngày tổn thất',
        en: 'The sum insured was raised 12 days before the loss',
      },
    });
    for (const code of RED_FLAG_CODES) expect(t(RED_FLAG_TEXT, code, 'vi')).not.toMatch(/gian lận/i);
  });

  it('writes every flag’s sentence from the staff namespace alone as the whole catalogue has it', () => {
    const row = { ...calm, Days_Loss_Report: 45, ClaimAmount: 9_800_000, Threshold_Gap: 0.02 };
    for (const code of RED_FLAG_CODES) {
      const { vi, en } = redFlagSentence(code, row);
      expect(vi).not.toBe(code);
      const whole = { ClaimAmount: '9.800.000', Threshold_Gap: '2%' };
      expect({ vi, en }).toEqual({
        vi: t(RED_FLAG_TEXT, code, 'vi', { ...row, ...whole }),
        en: t(RED_FLAG_TEXT, code, 'en', { ...row, ...whole }),
      });
    }
  });

  it('takes thresholds and weights from the config', async () => {
    const strict = compileRedFlags({
      ...shipped,
      rules: [
        {
          code: 'LATE_REPORTING',
          weight: 4,
          conditions: { all: [{ fact: 'Days_Loss_Report', operator: 'greaterThan', value: 3 }] },
        },
      ],
    });
    expect(await strict.evaluate({ ...calm, Days_Loss_Report: 4 })).toMatchObject([
      { code: 'LATE_REPORTING', weight: 4 },
    ]);
    expect(await strict.evaluate({ ...calm, Days_Loss_Report: 3 })).toEqual([]);
  });

  it('rejects a config that names an unknown fact, code or operator', () => {
    const bad = (rule: unknown) => () => compileRedFlags({ ...shipped, rules: [rule] });
    const ok = {
      code: 'LATE_REPORTING',
      weight: 1,
      conditions: { all: [{ fact: 'Days_Loss_Report', operator: 'equal', value: 1 }] },
    };
    expect(bad(ok)).not.toThrow();
    expect(bad({ ...ok, code: 'MADE_UP' })).toThrow();
    expect(
      bad({ ...ok, conditions: { all: [{ fact: 'DaysLossReport', operator: 'equal', value: 1 }] } }),
    ).toThrow();
    expect(
      bad({ ...ok, conditions: { all: [{ fact: 'Days_Loss_Report', operator: 'regex', value: 1 }] } }),
    ).toThrow();
  });
});
