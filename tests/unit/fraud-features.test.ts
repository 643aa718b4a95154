import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alignToModel, assessFraud } from '../../lambdas/core/fraud/assess.ts';
import {
  computeFeatures,
  endorsementsFromVersions,
  FEATURE_CATALOGUE,
  type FeatureClaim,
  type FeatureHistory,
  type FeaturePolicy,
  selfDeclaredFacts,
} from '../../lambdas/core/fraud/features.ts';
import { parseFraudModel, riskiestRow, scoreRow } from '../../lambdas/core/fraud/model.ts';
import { compileRedFlags } from '../../lambdas/core/fraud/red-flags.ts';

const claim = (o: Partial<FeatureClaim> = {}): FeatureClaim => ({
  claimId: 'c-1',
  productCode: 'MOTOR_PHYSICAL',
  cause: 'collision',
  channel: 'web',
  submittedAt: '2026-06-12T03:00:00.000Z',
  lossAt: '2026-06-10T01:00:00.000Z',
  estimatedAmount: 7_350_000,
  facts: {
    kind: 'motor',
    policeAttended: true,
    witnessPresent: false,
    fault: 'third_party',
    vehicleYear: 2019,
  },
  filedByStaff: false,
  contactChanged: false,
  supplementarySubmissions: 0,
  ...o,
});
const policy = (o: Partial<FeaturePolicy> = {}): FeaturePolicy => ({
  effectiveFrom: '2026-01-01T00:00:00+07:00',
  effectiveTo: '2026-12-31T23:59:59+07:00',
  sumInsured: 500_000_000,
  vehicleMakeModel: 'Toyota Vios 1.5G',
  ...o,
});
const history = (o: Partial<FeatureHistory> = {}): FeatureHistory => ({
  customerClaims: [],
  authorityThresholds: [10_000_000, 500_000_000],
  linkedClaims: 0,
  ...o,
});

describe('feature catalogue', () => {
  it('names every feature once, each with a meaning', () => {
    const names = FEATURE_CATALOGUE.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    for (const f of FEATURE_CATALOGUE) expect(f.meaning.length).toBeGreaterThan(10);
  });

  it('documents every feature in docs/fraud-model.md', () => {
    const doc = readFileSync('docs/fraud-model.md', 'utf8');
    for (const f of FEATURE_CATALOGUE) expect(doc).toContain(`| \`${f.name}\` |`);
  });

  it('computes the dates in Vietnamese days: policy start, report, policy end', () => {
    const f = computeFeatures(claim(), policy(), history());
    // 2026-01-01 → 2026-06-10 (VN): 160 days; loss 10 June, report 12 June; end 31 Dec: 204 days.
    expect(f.Days_Policy_Accident).toBe(160);
    expect(f.Days_Policy_Claim).toBe(162);
    expect(f.Days_Loss_Report).toBe(2);
    expect(f.Days_To_Policy_End).toBe(204);
  });

  it('leaves policy features missing when there is no policy', () => {
    const f = computeFeatures(claim(), undefined, history());
    expect(f.Days_Policy_Accident).toBeNull();
    expect(f.Days_To_Policy_End).toBeNull();
    expect(f.Amount_To_SumInsured).toBeNull();
    expect(f.Make).toBeNull();
  });

  it('reads endorsements: days from the last sum-insured increase and address change to the loss', () => {
    const none = computeFeatures(claim(), policy(), history());
    expect(none.SumInsuredChange_Claim).toBeNull();
    expect(none.AddressChange_Claim).toBeNull();
    const f = computeFeatures(
      claim(),
      policy({
        endorsements: [
          { at: '2026-03-01T00:00:00+07:00', kind: 'sum_insured_increase' },
          { at: '2026-06-01T00:00:00+07:00', kind: 'sum_insured_increase' },
          { at: '2026-06-20T00:00:00+07:00', kind: 'sum_insured_increase' }, // after the loss: ignored
          { at: '2026-05-11T00:00:00+07:00', kind: 'address_change' },
        ],
      }),
      history(),
    );
    expect(f.SumInsuredChange_Claim).toBe(9);
    expect(f.AddressChange_Claim).toBe(30);
  });

  it('compares endorsement and loss times as instants, whatever their UTC offsets', () => {
    // 07:00 +07:00 on the loss day is 00:00 UTC, an hour before the loss (01:00 UTC); as strings
    // "2026-06-10T07:00:00+07:00" sorts after "2026-06-10T01:00:00.000Z" and was dropped.
    const sameDay = computeFeatures(
      claim(),
      policy({ endorsements: [{ at: '2026-06-10T07:00:00+07:00', kind: 'sum_insured_increase' }] }),
      history(),
    );
    expect(sameDay.SumInsuredChange_Claim).toBe(0);
    // And one three and a half hours after the loss, written at UTC-5 so it sorts first as a string,
    // is not before it.
    const later = computeFeatures(
      claim(),
      policy({ endorsements: [{ at: '2026-06-09T23:30:00-05:00', kind: 'address_change' }] }),
      history(),
    );
    expect(later.AddressChange_Claim).toBeNull();
  });

  it('reads the endorsements from the policy’s version history as the import stores it', () => {
    const versions = [
      { version: 1, changeType: 'new', recordedAt: '2026-01-01T00:00:00Z' },
      {
        version: 2,
        changeType: 'endorsement',
        changeEffectiveAt: '2026-05-11T00:00:00+07:00',
        changes: [{ field: 'address', from: '1 Láng Hạ', to: '9 Kim Mã' }],
      },
      {
        version: 3,
        changeType: 'endorsement',
        changeEffectiveAt: '2026-06-01T00:00:00+07:00',
        changes: [{ field: 'sumInsured', cover: 'OD', from: 400_000_000, to: 650_000_000 }],
      },
      // A lower sum insured is no increase; a raised cover that does not answer the cause is not read.
      {
        version: 4,
        changeType: 'endorsement',
        changeEffectiveAt: '2026-06-05T00:00:00+07:00',
        changes: [
          { field: 'sumInsured', cover: 'OD', from: 650_000_000, to: 600_000_000 },
          { field: 'sumInsured', cover: 'PA', from: 10_000_000, to: 90_000_000 },
        ],
      },
      // Recorded without an effective date: dated when the import recorded it.
      {
        version: 5,
        changeType: 'endorsement',
        recordedAt: '2026-06-08T02:00:00Z',
        changes: [{ field: 'cover', cover: 'THEFT', to: 50_000_000 }],
      },
    ];
    expect(endorsementsFromVersions(versions, ['OD'])).toEqual([
      { at: '2026-05-11T00:00:00+07:00', kind: 'address_change' },
      { at: '2026-06-01T00:00:00+07:00', kind: 'sum_insured_increase' },
    ]);
    const f = computeFeatures(
      claim(),
      policy({ endorsements: endorsementsFromVersions(versions, ['OD']) }),
      history(),
    );
    expect(f.SumInsuredChange_Claim).toBe(9);
    expect(f.AddressChange_Claim).toBe(30);
    // The theft cover added in version 5 answers a theft claim: two days before this loss.
    const theft = computeFeatures(
      claim(),
      policy({ endorsements: endorsementsFromVersions(versions, ['OD', 'THEFT']) }),
      history(),
    );
    expect(theft.SumInsuredChange_Claim).toBe(2);
    // New business alone is no endorsement.
    expect(endorsementsFromVersions(versions.slice(0, 1))).toEqual([]);
  });

  it('reads a confirmed payout-account change from the claim’s account history', () => {
    expect(computeFeatures(claim(), policy(), history()).BankAccountChange_Claim).toBe('No');
    expect(
      computeFeatures(claim({ payoutAccountChanges: ['2026-06-13T00:00:00Z'] }), policy(), history())
        .BankAccountChange_Claim,
    ).toBe('Yes');
  });

  it('counts the customer’s earlier claims, those in the last 12 months and the cluster around the loss', () => {
    const h = history({
      customerClaims: [
        { claimId: 'a', submittedAt: '2024-01-05T00:00:00Z', lossAt: '2024-01-01T00:00:00Z' },
        { claimId: 'b', submittedAt: '2026-02-05T00:00:00Z', lossAt: '2026-02-01T00:00:00Z' },
        { claimId: 'c', submittedAt: '2026-06-01T00:00:00Z', lossAt: '2026-05-25T00:00:00Z' },
        { claimId: 'd', submittedAt: '2026-06-20T00:00:00Z', lossAt: '2026-06-18T00:00:00Z' }, // later
        { claimId: 'c-1', submittedAt: '2026-06-12T03:00:00.000Z', lossAt: '2026-06-10T01:00:00.000Z' }, // itself
      ],
    });
    const f = computeFeatures(claim(), policy(), h);
    expect(f.PastNumberOfClaims).toBe(3);
    expect(f.Claims_Last_12_Months).toBe(2);
    // c (loss 16 days before) is within 30 days of the loss; d (8 days after) was submitted later:
    // not known when this claim was reported, so not counted (a rescore or the export must not read it)
    expect(f.Claims_In_Window).toBe(1);
    expect(computeFeatures(claim(), policy(), h, { clusterWindowDays: 10 }).Claims_In_Window).toBe(0);
    const d = h.customerClaims.slice(3, 4);
    expect(computeFeatures(claim(), policy(), history({ customerClaims: d })).Claims_In_Window).toBe(0);
  });

  it('compares the amount with the sum insured, the typical amount and the nearest authority limit', () => {
    const f = computeFeatures(
      claim({ estimatedAmount: 9_800_000 }),
      policy({ sumInsured: 98_000_000 }),
      history({ typicalAmount: 4_900_000 }),
    );
    expect(f.ClaimAmount).toBe(9_800_000);
    expect(f.Amount_To_SumInsured).toBe(0.1);
    expect(f.Amount_To_Typical).toBe(2);
    expect(f.Threshold_Gap).toBe(0.02);
    expect(
      computeFeatures(claim({ estimatedAmount: 600_000_000 }), policy(), history()).Threshold_Gap,
    ).toBeNull();
    expect(computeFeatures(claim(), policy(), history()).Amount_To_Typical).toBeNull();
  });

  it('marks round amounts (whole millions)', () => {
    expect(computeFeatures(claim({ estimatedAmount: 30_000_000 }), policy(), history()).RoundAmount).toBe(
      'Yes',
    );
    expect(computeFeatures(claim({ estimatedAmount: 30_500_000 }), policy(), history()).RoundAmount).toBe(
      'No',
    );
  });

  it('reads police, witness, fault and vehicle age from motor facts and item age from property', () => {
    const f = computeFeatures(claim(), policy(), history());
    expect(f.PoliceReportFiled).toBe('Yes');
    expect(f.WitnessPresent).toBe('No');
    expect(f.Fault).toBe('Third Party');
    expect(f.AgeOfVehicle).toBe(7);
    expect(f.AgeOfItem).toBeNull();
    expect(f.Make).toBe('Toyota');
    const p = computeFeatures(
      claim({
        facts: {
          kind: 'property',
          policeAttended: false,
          items: [{ purchasedYear: 2020 }, { purchasedYear: 2015 }, {}],
        },
      }),
      policy(),
      history(),
    );
    expect(p.AgeOfItem).toBe(11);
    expect(p.Fault).toBeNull();
    expect(p.WitnessPresent).toBeNull();
    const h = computeFeatures(claim({ facts: { kind: 'health' } }), policy(), history());
    expect(h.PoliceReportFiled).toBeNull();
  });

  it('sees a bank account different from the previous claim’s, a changed contact, supplements, channel and agent', () => {
    const h = history({
      customerClaims: [
        {
          claimId: 'a',
          submittedAt: '2026-05-01T00:00:00Z',
          lossAt: '2026-04-28T00:00:00Z',
          payoutAccountFingerprint: 'fp-old',
        },
      ],
    });
    expect(
      computeFeatures(claim({ payoutAccountFingerprint: 'fp-new' }), policy(), h).BankAccountChange_Claim,
    ).toBe('Yes');
    expect(
      computeFeatures(claim({ payoutAccountFingerprint: 'fp-old' }), policy(), h).BankAccountChange_Claim,
    ).toBe('No');
    expect(
      computeFeatures(claim({ payoutAccountChangeRequestedAt: '2026-06-13T00:00:00Z' }), policy(), history())
        .BankAccountChange_Claim,
    ).toBe('Yes');
    const f = computeFeatures(
      claim({ contactChanged: true, supplementarySubmissions: 3, channel: 'phone', filedByStaff: true }),
      policy(),
      history({ linkedClaims: 2 }),
    );
    expect(f.ContactChange_Claim).toBe('Yes');
    expect(f.NumberOfSuppliments).toBe(3);
    expect(f.Channel).toBe('phone');
    expect(f.AgentType).toBe('Internal');
    expect(f.Linked_Claims).toBe(2);
    expect(f.ProductCode).toBe('MOTOR_PHYSICAL');
    expect(f.Cause).toBe('collision');
  });
});

describe('scoring a live claim with the shipped model', () => {
  const model = parseFraudModel(JSON.parse(readFileSync('lambdas/config/fraud-model.json', 'utf8')));
  const rules = compileRedFlags(JSON.parse(readFileSync('lambdas/config/fraud-rules.json', 'utf8')));

  it('maps live numbers onto the bands a model was trained on', () => {
    const row = computeFeatures(claim({ lossAt: '2026-01-04T01:00:00Z' }), policy(), history());
    const aligned = alignToModel(model, row);
    expect(row.Days_Policy_Accident).toBe(3);
    expect(aligned.Days_Policy_Accident).toBe('1 to 7');
    expect(alignToModel(model, computeFeatures(claim(), policy(), history())).Days_Policy_Accident).toBe(
      'more than 30',
    );
    expect(aligned.PastNumberOfClaims).toBe('none');
  });

  it('reads an address change days before the loss as the model’s "under 6 months" band, and none on record as "no change"', async () => {
    const withChange = (at: string) =>
      computeFeatures(claim(), policy({ endorsements: [{ at, kind: 'address_change' }] }), history());
    const none = computeFeatures(claim(), policy(), history());
    const threeDays = withChange('2026-06-07T00:00:00+07:00');
    expect(threeDays.AddressChange_Claim).toBe(3);
    // The bands are years: a day count is read in years, and "no change" is never a recent change.
    expect(alignToModel(model, threeDays).AddressChange_Claim).toBe('under 6 months');
    expect(alignToModel(model, withChange('2026-06-10T00:00:00+07:00')).AddressChange_Claim).toBe(
      'under 6 months',
    );
    expect(alignToModel(model, withChange('2025-06-01T00:00:00+07:00')).AddressChange_Claim).toBe('1 year');
    expect(alignToModel(model, withChange('2023-06-01T00:00:00+07:00')).AddressChange_Claim).toBe(
      '2 to 3 years',
    );
    expect(alignToModel(model, none).AddressChange_Claim).toBe('no change');
    const calm = await assessFraud(none, rules, model);
    const changed = await assessFraud(threeDays, rules, model);
    expect(changed.score).toBeGreaterThanOrEqual(calm.score);
    const explained = changed.contributions.find((c) => c.feature === 'AddressChange_Claim');
    expect(explained?.value).toBe('under 6 months');
    expect(explained?.contribution).toBeGreaterThan(0);
    expect(calm.contributions.find((c) => c.feature === 'AddressChange_Claim')?.value).toBe('no change');
  });

  it('scores higher, with the reason on top, when the loss comes days after the policy start', async () => {
    const calm = await assessFraud(computeFeatures(claim(), policy(), history()), rules, model);
    const early = await assessFraud(
      computeFeatures(claim({ lossAt: '2026-01-04T01:00:00Z' }), policy(), history()),
      rules,
      model,
    );
    expect(early.score).toBeGreaterThan(calm.score);
    expect(early.contributions[0]?.feature).toBe('Days_Policy_Accident');
    expect(early.flags.map((f) => f.code)).toContain('LOSS_SOON_AFTER_INCEPTION');
    expect(calm.refer).toBe(false);
  });

  it('never scores a claim lower for what the customer alone declares, or leaves out', async () => {
    type Motor = Extract<FeatureClaim['facts'], { kind: 'motor' }>;
    const scoreOf = async (facts: Omit<Motor, 'kind'>) => {
      const c = claim({ facts: { kind: 'motor', ...facts } });
      return (await assessFraud(computeFeatures(c, policy(), history()), rules, model, selfDeclaredFacts(c)))
        .score;
    };
    // Saying nothing: no fault, no witness, no vehicle year, and the form's default of no police.
    const unanswered = await scoreOf({ policeAttended: false });
    const answers: Omit<Motor, 'kind'>[] = [
      { policeAttended: false, fault: 'third_party' },
      { policeAttended: true, witnessPresent: true, fault: 'third_party', vehicleYear: 2025 },
      { policeAttended: true, witnessPresent: false, vehicleYear: 1999 },
      { policeAttended: false, witnessPresent: true, fault: 'policy_holder', vehicleYear: 2019 },
    ];
    // "Third party", a witness, police or a new vehicle are not lower than leaving them out:
    // nothing verifies them.
    for (const a of answers) expect(await scoreOf(a), JSON.stringify(a)).toBeGreaterThanOrEqual(unanswered);
    // Admitting fault still counts against the claim: an answer can raise the score.
    expect(await scoreOf({ policeAttended: false, fault: 'policy_holder' })).toBeGreaterThan(unanswered);
    // The facts set aside are named, for the console to show both.
    const set = (facts: Omit<Motor, 'kind'>) => {
      const c = claim({ facts: { kind: 'motor', ...facts } });
      return assessFraud(computeFeatures(c, policy(), history()), rules, model, selfDeclaredFacts(c));
    };
    expect((await set({ policeAttended: false, fault: 'third_party' })).scoredUnanswered).toEqual(['Fault']);
    expect((await set({ policeAttended: false, fault: 'policy_holder' })).scoredUnanswered).toEqual([]);
    // And a plain claim is not referred for what it did not say (scoring every fact at its riskiest
    // accepted answer referred first claims with nothing found).
    const plain = claim({ facts: { kind: 'motor', policeAttended: false } });
    expect(
      (await assessFraud(computeFeatures(plain, policy(), history()), rules, model, selfDeclaredFacts(plain)))
        .refer,
    ).toBe(false);
    const property = claim({
      facts: { kind: 'property', policeAttended: true, witnessPresent: true, items: [] },
    });
    const declared = selfDeclaredFacts(property);
    expect(declared.map((d) => d.feature)).toEqual(['PoliceReportFiled', 'WitnessPresent', 'AgeOfItem']);
    expect(selfDeclaredFacts(claim({ facts: { kind: 'health' } }))).toEqual([]);
  });

  it('riskiestRow: the row it picks among the candidates is explained exactly (its contributions sum to its score)', () => {
    const c = claim({
      facts: { kind: 'motor', policeAttended: true, witnessPresent: true, fault: 'third_party' },
    });
    const row = riskiestRow(
      model,
      alignToModel(model, computeFeatures(c, policy(), history())),
      selfDeclaredFacts(c).map((d) => ({ feature: d.feature, candidates: d.answers })),
    );
    const s = scoreRow(model, row);
    const logit = s.baseline + s.contributions.reduce((t, x) => t + x.contribution, 0);
    expect(logit).toBeCloseTo(Math.log(s.score / (1 - s.score)), 9);
    expect(s.contributions.find((x) => x.feature === 'Fault')?.value).toBe('Policy Holder');
    expect(s.contributions.find((x) => x.feature === 'WitnessPresent')?.value).toBe('No');
  });

  it('refers a claim with three red flags even when the score is low', async () => {
    const row = computeFeatures(
      claim({ estimatedAmount: 490_000_000, submittedAt: '2026-08-20T00:00:00Z' }),
      policy({ effectiveTo: '2026-06-20T00:00:00+07:00' }),
      history(),
    );
    const a = await assessFraud(row, rules, { ...model, referralThreshold: 1.1 });
    expect(a.flags.map((f) => f.code)).toEqual([
      'LOSS_NEAR_EXPIRY',
      'LATE_REPORTING',
      'JUST_UNDER_THRESHOLD',
      'ROUND_AMOUNT',
    ]);
    expect(a.refer).toBe(true);
    expect(a.reasons).toEqual(['RED_FLAGS']);
  });
});
