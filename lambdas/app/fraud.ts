import { createHash } from 'node:crypto';
import {
  claimsByCustomer,
  documentsAndEventsOfClaim,
  eventsOfClaim,
} from '../adapters/dynamo/claims-repo.ts';
import { holdPayoutForSiu } from '../adapters/dynamo/finance-repo.ts';
import {
  addClaimLinks,
  type ClaimLinkEntry,
  claimLinksRead,
  siuQueueEntry,
} from '../adapters/dynamo/fraud-repo.ts';
import { readItems } from '../adapters/dynamo/item-reads.ts';
import {
  policyOfClaimIn,
  policyVersions,
  policyWithVersions,
  type StoredPolicy,
} from '../adapters/dynamo/policies-repo.ts';
import { listStaff, type UserProfile } from '../adapters/dynamo/users-repo.ts';
import type { Claim, ClaimDocument, FraudLink, FraudRecord, LinkKind } from '../core/claim.ts';
import { mailboxKey, normalizePhone } from '../core/controls.ts';
import { type ClaimEvent, canonicalJson, SYSTEM } from '../core/events.ts';
import { assessFraud } from '../core/fraud/assess.ts';
import { firstScoreOf, type StoredFraudRecord } from '../core/fraud/export.ts';
import {
  computeFeatures,
  endorsementsFromVersions,
  type FeatureRow,
  selfDeclaredFacts,
} from '../core/fraud/features.ts';
import { parseFraudModel } from '../core/fraud/model.ts';
import { referOnScore } from '../core/fraud/siu.ts';
import { compileRedFlags } from '../core/fraud/red-flags.ts';
import type { Policy } from '../core/policy.ts';
import type { ProductConfig } from '../core/products.ts';
import { businessDate, type Clock } from '../core/time.ts';
import modelJson from '../config/fraud-model.json' with { type: 'json' };
import rulesJson from '../config/fraud-rules.json' with { type: 'json' };
import { type Change, mutateClaimWithConfig } from './claim-store.ts';
import { loadProduct } from './products.ts';
import { otherCustomersClaims, recordsClaim } from '../core/fraud/links.ts';

/**
 * The model and the rules in force are configuration files bundled with the function (a retrained
 * model is a deploy, not a code change). Each is checked the first time a claim is scored, once
 * per container: a bad file fails that scoring loudly (the workflow step retries and alerts), and
 * tests/unit/fraud-features.test.ts and fraud-red-flags.test.ts check the shipped files. Parsing
 * them on first use rather than at import leaves the model (33 KB of JSON) out of the functions
 * that import this module for something else (an upload request, a document link), and the parse
 * and the rules' compilation out of every cold start until a claim is scored.
 */
/**
 * `FRAUD_REFERRAL_MIN_SCORE` lets an environment raise the score's referral bar above the model's
 * threshold, as `FRAUD_REFERRAL_MIN_FLAGS` does for the flags: only the test stacks do, because the
 * score of a claim they file depends on the hour the suite runs (the loss "5 hours ago" falls on
 * yesterday after midnight in Vietnam: one more day between loss and report) and on how many claims
 * the demo customer filed before it, so a suite about something else would end in the SIU queue at
 * some hours and not at others. AWS and `npm start` keep the model's threshold; the referral on the
 * score itself is tested in tests/unit (fraud model and assessment).
 */
let model: ReturnType<typeof parseFraudModel> | undefined;
const fraudModel = () => {
  if (model) return model;
  const parsed = parseFraudModel(modelJson);
  const floor = Number(process.env.FRAUD_REFERRAL_MIN_SCORE);
  model =
    Number.isFinite(floor) && floor > parsed.referralThreshold && floor <= 1
      ? { ...parsed, referralThreshold: floor }
      : parsed;
  return model;
};
/**
 * `FRAUD_REFERRAL_MIN_FLAGS` lets an environment raise the red-flag bar without editing the file:
 * only the test stacks do (local/stack.ts `referralMinFlags`), because their few customers file
 * hundreds of test claims with the same contact, account and files. AWS and `npm start` keep the
 * rules file's bar (3).
 */
let rules: ReturnType<typeof compileRedFlags> | undefined;
const redFlagRules = () => {
  const minFlags = Number(process.env.FRAUD_REFERRAL_MIN_FLAGS);
  rules ??= compileRedFlags(
    Number.isInteger(minFlags) && minFlags > 0 ? { ...rulesJson, referral: { minFlags } } : rulesJson,
  );
  return rules;
};

/** How many of the customer's claims the history features read (newest first). */
const HISTORY_LIMIT = 100;

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** The attributes other customers' claims may share with this one, normalised and hashed. */
export function linkValues(
  c: Claim,
  documents: readonly ClaimDocument[],
): { kind: LinkKind; value: string }[] {
  const out: { kind: LinkKind; value: string }[] = [];
  const fp = c.report.payoutAccount.accountFingerprint;
  if (fp) out.push({ kind: 'BANK', value: fp });
  out.push({ kind: 'PHONE', value: sha(`phone:${normalizePhone(c.report.contact.phone)}`) });
  // The mailbox, not the spelling: a sub-address (ring+2@…) or Gmail's dots (r.ing@gmail.com) reach
  // the same inbox, and would otherwise dodge the link.
  out.push({ kind: 'EMAIL', value: sha(`email:${mailboxKey(c.report.contact.email)}`) });
  if (c.report.facts.kind === 'motor')
    out.push({
      kind: 'PLATE',
      value: sha(`plate:${c.report.facts.vehiclePlate.toUpperCase().replace(/[^0-9A-Z]/g, '')}`),
    });
  for (const d of documents)
    if (d.status === 'VERIFIED' && d.sha256) out.push({ kind: 'DOC', value: d.sha256 });
  const unique = new Map(out.map((l) => [`${l.kind}#${l.value}`, l]));
  return [...unique.values()];
}

/**
 * Other customers' claims under each of the claim's attribute values (all values in one BatchGet),
 * and the entries that add this claim under the values that do not hold it yet (written with the
 * score, or on their own when the score writes nothing). What a value records and shows is
 * core/fraud/links.ts.
 */
async function linksOf(
  c: Claim,
  documents: readonly ClaimDocument[],
): Promise<{ links: FraudLink[]; add: ClaimLinkEntry[] }> {
  const values = linkValues(c, documents);
  const sets = await readItems(claimLinksRead(values));
  const add = values
    .filter((l) => recordsClaim(sets.get(`${l.kind}#${l.value}`) ?? [], c))
    .map((l) => ({
      ...l,
      claimId: c.claimId,
      claimNumber: c.claimNumber,
      customerId: c.customerId,
      submittedAt: c.submittedAt,
    }));
  const found = values.map((l) => otherCustomersClaims(sets.get(`${l.kind}#${l.value}`) ?? [], c.customerId));
  const byKind = new Map<LinkKind, Map<string, ClaimLinkEntry>>();
  found.flat().forEach((e) => {
    const m = byKind.get(e.kind) ?? new Map<string, ClaimLinkEntry>();
    m.set(e.claimId, e);
    byKind.set(e.kind, m);
  });
  const links = [...byKind].map(([kind, m]) => ({
    kind,
    claims: [...m.values()].map((e) => ({ claimId: e.claimId, claimNumber: e.claimNumber })),
  }));
  return { links, add };
}

/** The limits that decide who may settle a claim of this product, from the staff list. */
function authorityThresholds(product: ProductConfig | undefined, staff: readonly UserProfile[]): number[] {
  const limits = staff.map((s) => s.staff?.authorityLimit ?? 0).filter((x) => x > 0);
  return [
    ...new Set([
      ...(product ? [product.straightThroughMax, product.jointDecision.threshold] : []),
      ...limits,
    ]),
  ].filter((x) => x > 0);
}

/** Everything the feature catalogue reads, loaded for one claim. */
export async function featuresOf(
  c: Claim,
  documents: readonly ClaimDocument[],
  policy: Policy | undefined,
  product: ProductConfig | undefined,
  linkedClaims: number,
  /** The policy's versions, the claim's events, the staff list and the customer's claims when the caller already read them. */
  read?: {
    versions: readonly StoredPolicy[];
    events: readonly ClaimEvent[];
    staff: readonly UserProfile[];
    customerClaims: CustomerClaims;
  },
): Promise<FeatureRow> {
  const [customerClaims, staff, versions, events] = await Promise.all([
    read?.customerClaims ?? customerHistory(c),
    read?.staff ?? listStaff(),
    // The policy's history as the import keeps it: endorsements move the sum-insured and address features.
    read?.versions ?? policyVersions(c.policyNumber),
    // The claim's payout-account history: confirmed changes (the pending one is on the claim).
    read?.events ?? eventsOfClaim(c.claimId),
  ]);
  const submittedDay = businessDate(new Date(c.submittedAt));
  const supplements =
    documents.filter((d) => d.status === 'VERIFIED' && businessDate(new Date(d.requestedAt)) > submittedDay)
      .length + (c.infoRequests ?? []).filter((r) => r.status === 'answered').length;
  const f = c.report.facts;
  const covers = policy?.covers.filter((x) => x.causes.includes(c.report.cause)) ?? [];
  return computeFeatures(
    {
      claimId: c.claimId,
      productCode: c.productCode,
      cause: c.report.cause,
      channel: c.channel,
      submittedAt: c.submittedAt,
      lossAt: c.report.lossAt,
      estimatedAmount: c.report.estimatedAmount.amount,
      facts:
        f.kind === 'motor'
          ? {
              kind: 'motor',
              policeAttended: f.policeAttended,
              witnessPresent: f.witnessPresent,
              fault: f.fault,
              vehicleYear: f.vehicleYear,
            }
          : f.kind === 'property'
            ? {
                kind: 'property',
                policeAttended: f.policeAttended,
                witnessPresent: f.witnessPresent,
                items: f.items,
              }
            : { kind: f.kind },
      filedByStaff: Boolean(c.filedBy),
      payoutAccountFingerprint: c.report.payoutAccount.accountFingerprint,
      payoutAccountChangeRequestedAt: c.payoutAccountChange?.requestedAt,
      payoutAccountChanges: events.filter((e) => e.type === 'PayoutAccountChanged').map((e) => e.at),
      contactChanged: c.contactCheck !== undefined,
      supplementarySubmissions: supplements,
    },
    policy && {
      effectiveFrom: policy.effectiveFrom,
      effectiveTo: policy.effectiveTo,
      sumInsured: covers.reduce((s, x) => s + x.sumInsured, 0),
      vehicleMakeModel: policy.insuredObject.vehicleMakeModel,
      endorsements: endorsementsFromVersions(
        versions.map((v) => ({
          version: v.policy.version,
          changeType: v.policy.changeType,
          changeEffectiveAt: v.policy.changeEffectiveAt,
          recordedAt: v.recordedAt,
          changes: v.changes,
        })),
        covers.map((x) => x.code),
      ),
    },
    {
      customerClaims: customerClaims.items.map(({ item }) => ({
        claimId: item.claimId,
        submittedAt: item.submittedAt,
        lossAt: item.report.lossAt,
        payoutAccountFingerprint: item.report.payoutAccount.accountFingerprint,
      })),
      typicalAmount: redFlagRules().config.typicalAmount[c.productCode],
      authorityThresholds: authorityThresholds(product, staff),
      linkedClaims: linkedClaims,
    },
    { clusterWindowDays: redFlagRules().config.clusterWindowDays },
  );
}

/**
 * What scoring reads of the claim's partitions and the staff list (the intake check shares the
 * policy read with validation, and the documents, policy and staff list with assignment).
 */
/** The customer's claims the history features read: the newest {@link HISTORY_LIMIT}, with the cursor to the rest. */
type CustomerClaims = Awaited<ReturnType<typeof claimsByCustomer>>;
const customerHistory = (c: Claim): Promise<CustomerClaims> =>
  claimsByCustomer(c.customerId, undefined, HISTORY_LIMIT);

export interface ScoreReads {
  documents: readonly ClaimDocument[];
  events: readonly ClaimEvent[];
  policy: Policy | undefined;
  versions: readonly StoredPolicy[];
  product: ProductConfig | undefined;
  /** Staff by role: the authority limits the features compare with (and the adjusters to assign). */
  staff: readonly UserProfile[];
  /** The customer's newest claims (history features; and the earlier claims on the policy). */
  customerClaims: CustomerClaims;
}

/** Documents with events, the policy with its versions, the staff and the customer's claims: one query of each. */
export async function scoreReads(c: Claim): Promise<ScoreReads> {
  const [{ documents, events }, { policy, versions }, product, staff, customerClaims] = await Promise.all([
    documentsAndEventsOfClaim(c.claimId),
    policyWithVersions(c.policyNumber),
    loadProduct(c.productCode),
    listStaff(),
    customerHistory(c),
  ]);
  return { documents, events, policy, versions, product, staff, customerClaims };
}

/** A score's claim change, and what is owed after the write (see {@link settleScore}). */
export interface ScoreOutcome {
  /** The claim with its fraud record, the events, link entries and SIU queue entry; null: nothing changed. */
  change: Change | null;
  /** Link entries owed when the score itself writes nothing (the last attempt did not write them). */
  linksOwed: ClaimLinkEntry[];
  /** The claim was referred to the SIU by this score (its payment is to be held). */
  referred: boolean;
}

/**
 * The score of one claim from what was read: links of its shared attributes, the features, the
 * red-flag rules and the model, and the claim change that records them (IndicatorsScored, and a
 * referral to the SIU with its queue entry and payment hold). Used by the intake check and by every
 * rescore. A receipt score of a claim already scored, and a score that changes nothing, give no change.
 */
export async function scoreChange(
  c: Claim,
  reads: ScoreReads,
  trigger: FraudRecord['trigger'],
  now: string,
): Promise<ScoreOutcome> {
  const none = { change: null, linksOwed: [], referred: false };
  if (trigger === 'receipt' && c.fraud) return none; // a retried step
  const { documents, product } = reads;
  // The version the claim is judged on (pinned at filing: the one in force at the loss), not the
  // one current now: an endorsement after the loss must not lower the amount-to-sum-insured ratio
  // or move the policy-age features of a claim it does not cover.
  const policy = policyOfClaimIn(c, reads);
  const { links, add } = await linksOf(c, documents);
  const linked = new Set(links.flatMap((l) => l.claims.map((x) => x.claimId))).size;
  const row = await featuresOf(c, documents, policy, product, linked, reads);
  // What the customer alone says (fault, witness, police, vehicle or item age) never lowers the score.
  const declared = selfDeclaredFacts({ facts: c.report.facts, lossAt: c.report.lossAt });
  const a = await assessFraud(row, redFlagRules(), fraudModel(), declared);
  const indicators = a.flags.map((f) => ({ code: f.code, weight: f.weight, detail: f.detail }));
  // Compared as canonical JSON: a map read back from DynamoDB does not keep its key order.
  const same =
    c.fraud?.score === a.score &&
    canonicalJson(c.fraudIndicators ?? []) === canonicalJson(indicators) &&
    canonicalJson(c.fraud.links) === canonicalJson(links) &&
    canonicalJson(c.fraud.features) === canonicalJson(row);
  // A first referral, or a cleared claim referred again for a red flag it did not carry when cleared.
  const referral = referOnScore(c.siu, a, now);
  const refer = referral !== undefined;
  if (same && !refer) return { ...none, linksOwed: add };
  const record: StoredFraudRecord = {
    // The row of the first score, kept once: what the SIU export trains on (core/fraud/export.ts).
    ...firstScoreOf(c.fraud, row, now),
    score: a.score,
    threshold: a.threshold,
    contributions: a.contributions,
    reasons: a.reasons,
    links,
    features: row,
    scoredAt: now,
    trigger,
    model: a.model,
    ...(a.scoredUnanswered.length > 0 ? { scoredUnanswered: a.scoredUnanswered } : {}),
  };
  const siu = referral?.siu ?? c.siu;
  const change: Change = {
    claim: {
      ...c,
      fraud: record,
      fraudIndicators: indicators,
      ...(siu ? { siu } : {}),
      ...(refer && !c.paymentHold ? { paymentHold: { reason: 'siu_referral' as const, since: now } } : {}),
    },
    events: [
      {
        type: 'IndicatorsScored' as const,
        actor: SYSTEM,
        data: {
          trigger,
          score: a.score,
          threshold: a.threshold,
          flags: a.flags.map((f) => f.code),
          linked,
        },
      },
      ...(referral
        ? [
            {
              type: 'ClaimReferredToSiu' as const,
              actor: SYSTEM,
              data: {
                reasons: referral.siu.reasons,
                ...(referral.newFlags
                  ? { reopened: { outcome: 'cleared' }, newFlags: referral.newFlags }
                  : {}),
              },
            },
          ]
        : []),
    ],
    claimLinks: add,
    siuCases: refer && siu ? [siuQueueEntry(c, siu)] : undefined,
  };
  return { change, linksOwed: [], referred: refer };
}

/**
 * After the claim's write: the link entries a quiet score still owes, and the payment of a claim
 * referred now held (a payout already queued leaves the awaiting queue).
 */
export async function settleScore(claim: Claim, outcome: ScoreOutcome): Promise<void> {
  if (outcome.linksOwed.length > 0) await addClaimLinks(outcome.linksOwed);
  if (outcome.referred && claim.siu) await holdPayoutForSiu(claim.claimId, claim.siu.referredAt);
}

/** What a score step reports to the workflow. */
export const scoreResult = (claim: Claim) => ({
  claimId: claim.claimId,
  score: claim.fraud?.score ?? null,
  referred: claim.siu !== undefined,
  indicators: claim.fraudIndicators?.length ?? 0,
});

/**
 * Scores a claim for fraud again when documents or answers arrive (on receipt the intake check,
 * app/check-claim.ts, scores it with {@link scoreChange} in its own write): indexes its shared
 * attributes, computes the features, runs the red-flag rules and the model, and records the
 * indicators, the score and its contributions on the claim with a staff-only event. A claim the
 * assessment refers goes to the SIU queue in the same write, and its payment is held until the SIU
 * clears it (a payout already queued leaves the awaiting queue). Nothing is written when nothing
 * changed, so a retried step or a rescore is quiet.
 */
export async function scoreClaim(claimId: string, clock: Clock, trigger: FraudRecord['trigger']) {
  let outcome: ScoreOutcome = { change: null, linksOwed: [], referred: false };
  const claim = await mutateClaimWithConfig(claimId, clock, async (c) => {
    outcome = await scoreChange(c, await scoreReads(c), trigger, clock.now().toISOString());
    return outcome.change;
  });
  await settleScore(claim, outcome);
  return scoreResult(claim);
}
