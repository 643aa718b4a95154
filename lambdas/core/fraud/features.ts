/**
 * The live feature catalogue: what the fraud scorer and the red-flag rules read about one claim,
 * computed from the claim, its policy (and its endorsements when the policy system sends them) and
 * the insurer's own history (the customer's earlier claims, the product's typical amount, other
 * customers' claims that share an attribute). Pure: the app layer loads the inputs.
 *
 * Names follow the training CSV columns where they mean the same thing (the public vehicle-claims
 * layout the trainer was built on: `Days_Policy_Accident`, `PastNumberOfClaims`, `PoliceReportFiled`,
 * …), and the claims export writes exactly these names, so a model trained on either scores live
 * claims. Yes/no features are the strings `Yes`/`No`; a value the claim cannot tell is `null`
 * (the model's "missing" level), never a guess.
 */
export type FeatureValue = string | number | null;

export interface FeatureDef {
  name: string;
  kind: 'numeric' | 'categorical';
  /** What the value means (the docs table is built from the same words). */
  meaning: string;
  /**
   * The unit of a time feature's live number, so a model trained on bands written in another unit
   * (`AddressChange_Claim` = "under 6 months", "2 to 3 years") gets the band the live number falls
   * in (assess.ts `alignToModel`).
   */
  unit?: 'days' | 'years';
  /**
   * A missing value means "nothing on record" (no endorsement), not "not known": a model trained
   * on bands that write that as a level ("no change", "none") gets that level.
   */
  missingMeansNone?: boolean;
}

/** Every feature, in the order the export writes them. docs/fraud-model.md lists the same table. */
export const FEATURE_CATALOGUE = [
  {
    name: 'Days_Policy_Accident',
    kind: 'numeric',
    meaning: 'Days from the policy start to the loss',
    unit: 'days',
  },
  {
    name: 'Days_Policy_Claim',
    kind: 'numeric',
    meaning: 'Days from the policy start to the report',
    unit: 'days',
  },
  { name: 'Days_Loss_Report', kind: 'numeric', meaning: 'Days from the loss to the report', unit: 'days' },
  {
    name: 'Days_To_Policy_End',
    kind: 'numeric',
    meaning: 'Days from the loss to the policy end',
    unit: 'days',
  },
  {
    name: 'SumInsuredChange_Claim',
    kind: 'numeric',
    meaning: 'Days from the last sum-insured increase to the loss (missing: no increase on record)',
    unit: 'days',
    missingMeansNone: true,
  },
  {
    name: 'AddressChange_Claim',
    kind: 'numeric',
    meaning: 'Days from the last address endorsement to the loss (missing: no change on record)',
    unit: 'days',
    missingMeansNone: true,
  },
  {
    name: 'BankAccountChange_Claim',
    kind: 'categorical',
    meaning:
      'Yes when the payout account differs from the one on the customer’s previous claim within 180 days, or was changed (or a change asked for) on this claim',
  },
  {
    name: 'ContactChange_Claim',
    kind: 'categorical',
    meaning: 'Yes when the contact given on the claim differs from the registered one',
  },
  { name: 'PastNumberOfClaims', kind: 'numeric', meaning: 'Earlier claims by this customer (any policy)' },
  {
    name: 'Claims_Last_12_Months',
    kind: 'numeric',
    meaning: 'Earlier claims by this customer in the 12 months before the loss',
  },
  {
    name: 'Claims_In_Window',
    kind: 'numeric',
    meaning:
      'Earlier claims by this customer (submitted before this one) whose loss is within the cluster window (default 30 days) of this one’s',
  },
  { name: 'ClaimAmount', kind: 'numeric', meaning: 'Amount claimed (the customer’s estimate), VND' },
  {
    name: 'Amount_To_SumInsured',
    kind: 'numeric',
    meaning: 'Amount claimed ÷ sum insured of the covers answering the cause',
  },
  {
    name: 'Amount_To_Typical',
    kind: 'numeric',
    meaning: 'Amount claimed ÷ the product’s typical claim amount',
  },
  {
    name: 'Threshold_Gap',
    kind: 'numeric',
    meaning:
      'How far the amount is below the nearest authority limit at or above it, as a share of that limit',
  },
  {
    name: 'RoundAmount',
    kind: 'categorical',
    meaning: 'Yes when the amount is a whole number of millions of đồng',
  },
  {
    name: 'PoliceReportFiled',
    kind: 'categorical',
    meaning: 'Police attended (motor, property; missing otherwise)',
  },
  {
    name: 'WitnessPresent',
    kind: 'categorical',
    meaning: 'A witness was named (motor, property; missing when not asked)',
  },
  { name: 'Fault', kind: 'categorical', meaning: '`Policy Holder` or `Third Party` (motor, when given)' },
  {
    name: 'AgeOfVehicle',
    kind: 'numeric',
    meaning: 'Vehicle age in years at the loss (motor, when the year is given)',
    unit: 'years',
  },
  {
    name: 'AgeOfItem',
    kind: 'numeric',
    meaning: 'Age in years of the oldest claimed item (property, when given)',
    unit: 'years',
  },
  {
    name: 'Make',
    kind: 'categorical',
    meaning: 'Vehicle make, the first word of the policy’s make and model',
  },
  {
    name: 'NumberOfSuppliments',
    kind: 'numeric',
    meaning: 'Documents sent after the day of the report, plus answered information requests',
  },
  { name: 'Channel', kind: 'categorical', meaning: 'How the claim was reported: web, phone or email' },
  {
    name: 'AgentType',
    kind: 'categorical',
    meaning: '`Internal` when staff filed it for the customer, `Customer` otherwise',
  },
  { name: 'ProductCode', kind: 'categorical', meaning: 'The product' },
  { name: 'Cause', kind: 'categorical', meaning: 'The cause of loss' },
  {
    name: 'Linked_Claims',
    kind: 'numeric',
    meaning:
      'Claims of other customers sharing a document file, bank account, phone, email or plate with this one',
  },
] as const satisfies readonly FeatureDef[];

export type FeatureName = (typeof FEATURE_CATALOGUE)[number]['name'];
export type FeatureRow = Record<FeatureName, FeatureValue>;

export interface FeatureClaim {
  claimId: string;
  productCode: string;
  cause: string;
  channel: string;
  /** ISO instants. */
  submittedAt: string;
  lossAt: string;
  estimatedAmount: number;
  facts:
    | {
        kind: 'motor';
        policeAttended?: boolean;
        witnessPresent?: boolean;
        fault?: 'policy_holder' | 'third_party';
        vehicleYear?: number;
      }
    | {
        kind: 'property';
        policeAttended?: boolean;
        witnessPresent?: boolean;
        items: readonly { purchasedYear?: number }[];
      }
    | { kind: 'health' }
    | { kind: 'travel' };
  filedByStaff: boolean;
  payoutAccountFingerprint?: string;
  /** When a change of the payout account was asked for on this claim and is still pending. */
  payoutAccountChangeRequestedAt?: string;
  /** The claim's payout-account history: when each confirmed change took effect (ISO instants). */
  payoutAccountChanges?: readonly string[];
  contactChanged: boolean;
  supplementarySubmissions: number;
}

export interface FeaturePolicy {
  effectiveFrom: string;
  effectiveTo: string;
  /** Sum insured of the covers that answer the claim's cause. */
  sumInsured: number;
  vehicleMakeModel?: string;
  /** Endorsements from the policy system, when it sends them. */
  endorsements?: readonly { at: string; kind: 'sum_insured_increase' | 'address_change' }[];
}

export interface FeatureHistory {
  /** The customer's other claims (any policy); later ones are ignored. */
  customerClaims: readonly {
    claimId: string;
    submittedAt: string;
    lossAt: string;
    payoutAccountFingerprint?: string;
  }[];
  /** The product's typical (median) claim amount, when configured. */
  typicalAmount?: number;
  /** Authority limits that decide who may settle (straight-through limit, adjusters', joint decision). */
  authorityThresholds: readonly number[];
  /** Other customers' claims sharing an attribute with this one. */
  linkedClaims: number;
}

export interface FeatureOptions {
  /** Days either side of the loss that count as a cluster (default 30). */
  clusterWindowDays?: number;
}

const DAY_MS = 86_400_000;
/** Vietnam days between two instants (loss and report fall on Vietnamese calendar days). */
const VN_OFFSET_MS = 7 * 3_600_000;
const vnDay = (iso: string) => Math.floor((Date.parse(iso) + VN_OFFSET_MS) / DAY_MS);
const daysFrom = (from: string, to: string) => vnDay(to) - vnDay(from);
const yesNo = (b: boolean | undefined): FeatureValue => (b === undefined ? null : b ? 'Yes' : 'No');
const ratio = (a: number, b: number | undefined) =>
  b && b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null;
const BANK_CHANGE_WINDOW_DAYS = 180;

/** One stored version of the policy as the import keeps it (adapters/dynamo/policies-repo.ts). */
export interface FeaturePolicyVersion {
  version: number;
  changeType: string;
  /** When this version takes effect; absent on new business and on versions sent without it. */
  changeEffectiveAt?: string;
  /** When the import recorded it (the fallback for the effective instant). */
  recordedAt?: string;
  /** What changed from the version before (core/policy-import.ts `policyChanges`). */
  changes?: readonly { field: string; cover?: string; from?: string | number; to?: string | number }[];
}

/**
 * The endorsements the features read, from the policy's version history: a sum-insured increase
 * (a cover's sum insured went up, or a cover was added) on a cover answering the claim's cause
 * (`coverCodes`; every cover when not given), and an address change. Each is dated when its
 * version takes effect (`changeEffectiveAt`, else when it was recorded); undated versions are left
 * out rather than guessed.
 */
export function endorsementsFromVersions(
  versions: readonly FeaturePolicyVersion[],
  coverCodes?: readonly string[],
): { at: string; kind: 'sum_insured_increase' | 'address_change' }[] {
  const relevant = (cover: string | undefined) =>
    coverCodes === undefined || (cover !== undefined && coverCodes.includes(cover));
  const out: { at: string; kind: 'sum_insured_increase' | 'address_change' }[] = [];
  for (const v of [...versions].sort((a, b) => a.version - b.version)) {
    const at = v.changeEffectiveAt ?? v.recordedAt;
    if (!at || Number.isNaN(Date.parse(at))) continue;
    const changes = v.changes ?? [];
    const increase = changes.some(
      (c) =>
        relevant(c.cover) &&
        ((c.field === 'sumInsured' && Number(c.to) > Number(c.from)) ||
          (c.field === 'cover' && c.from === undefined && c.to !== undefined)),
    );
    if (increase) out.push({ at, kind: 'sum_insured_increase' });
    if (changes.some((c) => c.field === 'address')) out.push({ at, kind: 'address_change' });
  }
  return out;
}

/** A feature only the customer's word supports, and every value the claim form lets them give it. */
export interface DeclaredFact {
  feature: FeatureName;
  answers: readonly FeatureValue[];
}

const range = (from: number, to: number) =>
  Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

/**
 * The facts of a claim that rest on the customer's word alone (core/requests.ts: police attended,
 * a witness, who was at fault, the vehicle's year, the items' purchase years), each with every value
 * the form accepts, the first being what it records when the customer says nothing (no answer, or no
 * police). Nothing in the system verifies them (a document's VERIFIED status is the file check, not a
 * person reading the police report), so the scorer scores the riskier of the answer and that first
 * value (assess.ts): what the customer says can never lower the score below saying nothing. Facts the
 * claim's kind does not ask are not listed (they stay missing).
 */
export function selfDeclaredFacts(claim: {
  facts: { kind: FeatureClaim['facts']['kind'] };
  lossAt: string;
}): DeclaredFact[] {
  const f = claim.facts;
  if (f.kind !== 'motor' && f.kind !== 'property') return [];
  const lossYear = new Date(Date.parse(claim.lossAt) + VN_OFFSET_MS).getUTCFullYear();
  // The form defaults police attended to "no": there is no unanswered value.
  const out: DeclaredFact[] = [{ feature: 'PoliceReportFiled', answers: ['No', 'Yes'] }];
  out.push({ feature: 'WitnessPresent', answers: [null, 'No', 'Yes'] });
  if (f.kind === 'motor') {
    out.push({ feature: 'Fault', answers: [null, 'Policy Holder', 'Third Party'] });
    // vehicleYear 1950–2100 (requests.ts): an age of 0 (a year after the loss) up to lossYear − 1950.
    out.push({ feature: 'AgeOfVehicle', answers: [null, ...range(0, lossYear - 1950)] });
  } else {
    // purchasedYear 1900–2100 on any item.
    out.push({ feature: 'AgeOfItem', answers: [null, ...range(0, lossYear - 1900)] });
  }
  return out;
}

/**
 * The feature row of one claim (see {@link FEATURE_CATALOGUE} for each meaning). Only what was
 * known when the claim was reported counts: later claims of the customer are left out, so the
 * export of a closed claim and its live score see the same history.
 */
export function computeFeatures(
  claim: FeatureClaim,
  policy: FeaturePolicy | undefined,
  history: FeatureHistory,
  options: FeatureOptions = {},
): FeatureRow {
  const window = options.clusterWindowDays ?? 30;
  const amount = claim.estimatedAmount;
  const earlier = history.customerClaims
    .filter((c) => c.claimId !== claim.claimId && c.submittedAt < claim.submittedAt)
    .sort((a, b) => (a.submittedAt < b.submittedAt ? 1 : -1));
  const lastYear = earlier.filter((c) => {
    const d = daysFrom(c.lossAt, claim.lossAt);
    return d >= 0 && d <= 365;
  });
  // Only claims submitted before this one: a later claim is not known when this one is reported
  // (it counts this one when it is scored itself), and counting it would make a rescore, and the
  // export for training, read the future.
  const cluster = earlier.filter((c) => Math.abs(daysFrom(c.lossAt, claim.lossAt)) <= window);
  // Endorsements up to the loss, compared as instants (the policy system's `+07:00` dates and the
  // claim's UTC loss time do not sort as strings). One taking effect after the loss is not part of
  // this feature's "days before the loss": cover widened after the loss refers the claim at intake
  // (core/checks.ts POLICY_CHANGED_AFTER_LOSS), and the claim is judged on the version in force at
  // the loss.
  const loss = Date.parse(claim.lossAt);
  const lastEndorsement = (kind: 'sum_insured_increase' | 'address_change') => {
    const days = (policy?.endorsements ?? [])
      .filter((e) => e.kind === kind && Date.parse(e.at) <= loss)
      .map((e) => daysFrom(e.at, claim.lossAt));
    return days.length ? Math.min(...days) : null;
  };
  const previous = earlier[0];
  // The claim's own account history: a change asked for or confirmed on the claim counts, however
  // late (the customer redirecting the money is the signal).
  const bankChanged =
    claim.payoutAccountChangeRequestedAt !== undefined ||
    (claim.payoutAccountChanges?.length ?? 0) > 0 ||
    (previous?.payoutAccountFingerprint !== undefined &&
      claim.payoutAccountFingerprint !== undefined &&
      previous.payoutAccountFingerprint !== claim.payoutAccountFingerprint &&
      daysFrom(previous.submittedAt, claim.submittedAt) <= BANK_CHANGE_WINDOW_DAYS);
  const above = history.authorityThresholds.filter((t) => t > 0 && t >= amount);
  const nearest = above.length ? Math.min(...above) : undefined;
  const lossYear = new Date(Date.parse(claim.lossAt) + VN_OFFSET_MS).getUTCFullYear();
  const f = claim.facts;
  const itemYears =
    f.kind === 'property' ? f.items.map((i) => i.purchasedYear).filter((y) => y !== undefined) : [];
  return {
    Days_Policy_Accident: policy ? daysFrom(policy.effectiveFrom, claim.lossAt) : null,
    Days_Policy_Claim: policy ? daysFrom(policy.effectiveFrom, claim.submittedAt) : null,
    Days_Loss_Report: daysFrom(claim.lossAt, claim.submittedAt),
    Days_To_Policy_End: policy ? daysFrom(claim.lossAt, policy.effectiveTo) : null,
    SumInsuredChange_Claim: lastEndorsement('sum_insured_increase'),
    AddressChange_Claim: lastEndorsement('address_change'),
    BankAccountChange_Claim: bankChanged ? 'Yes' : 'No',
    ContactChange_Claim: claim.contactChanged ? 'Yes' : 'No',
    PastNumberOfClaims: earlier.length,
    Claims_Last_12_Months: lastYear.length,
    Claims_In_Window: cluster.length,
    ClaimAmount: amount,
    Amount_To_SumInsured: ratio(amount, policy?.sumInsured),
    Amount_To_Typical: ratio(amount, history.typicalAmount),
    Threshold_Gap: nearest === undefined ? null : ratio(nearest - amount, nearest),
    RoundAmount: amount > 0 && amount % 1_000_000 === 0 ? 'Yes' : 'No',
    PoliceReportFiled: f.kind === 'motor' || f.kind === 'property' ? yesNo(f.policeAttended) : null,
    WitnessPresent: f.kind === 'motor' || f.kind === 'property' ? yesNo(f.witnessPresent) : null,
    Fault:
      f.kind === 'motor' && f.fault ? (f.fault === 'policy_holder' ? 'Policy Holder' : 'Third Party') : null,
    AgeOfVehicle: f.kind === 'motor' && f.vehicleYear ? Math.max(0, lossYear - f.vehicleYear) : null,
    AgeOfItem: itemYears.length ? Math.max(0, lossYear - Math.min(...itemYears)) : null,
    Make: policy?.vehicleMakeModel?.trim().split(/\s+/)[0] || null,
    NumberOfSuppliments: claim.supplementarySubmissions,
    Channel: claim.channel,
    AgentType: claim.filedByStaff ? 'Internal' : 'Customer',
    ProductCode: claim.productCode,
    Cause: claim.cause,
    Linked_Claims: history.linkedClaims,
  };
}
