import * as z from 'zod/mini';
import { defineSchema } from './define-schema.ts';
import { CAUSES, PRODUCT_CODES } from './products.ts';

/**
 * Bounds on a policy version's text and lists. A policy arrives from the policy system's files and
 * is stored as DynamoDB items whose keys carry some of these values (the holder's name and the
 * plate in the call centre's directory, the customer id in GSI1) and whose size is the sum of all
 * of them: a key is at most 2,048 bytes (partition) / 1,024 bytes (sort) and an item 400 KB. With
 * these bounds the largest version (50 covers with 200-character names, 100 insured persons) stays
 * well under both, so an oversized value is a row error (INVALID_FIELD with its field) instead of
 * a write the table refuses. Characters, not bytes: Vietnamese text is at most 3 bytes a character.
 */
export const POLICY_LIMITS = {
  customerId: 64,
  name: 200,
  coverCode: 40,
  plate: 20,
  address: 500,
  /** Cover rows (CSV) or covers (JSON) of one version. */
  covers: 50,
  addOns: 20,
  addOnCode: 64,
  insuredPersons: 100,
} as const;
export const MAX_COVERS = POLICY_LIMITS.covers;

const bounded = (max: number) => z.string().check(z.maxLength(max));

/** A policy as imported from the insurer's policy administration system. */
export const Cover = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    code: z.string().check(z.minLength(1), z.maxLength(POLICY_LIMITS.coverCode)),
    name: z.strictObject({ vi: bounded(POLICY_LIMITS.name), en: bounded(POLICY_LIMITS.name) }),
    /** Causes this cover responds to. */
    causes: z.array(z.enum(CAUSES)).check(z.minLength(1), z.maxLength(CAUSES.length)),
    sumInsured: z.int().check(z.gte(0)),
    /** Per-claim sub-limit; absent means the sum insured is the limit. */
    subLimit: z.optional(z.int().check(z.gte(0))),
    /**
     * Value at risk of what this cover insures when the policy was written (the building, the
     * contents…): the average clause (Art. 48) compares this cover's sum insured with it. Give it on
     * every object cover of a policy with several; the policy-level `insuredValue` is the value of
     * everything the policy insures and stands for a cover's value only on a one-cover policy
     * (core/payout.ts `calculatePayout`, step e).
     */
    insuredValue: z.optional(z.int().check(z.gte(0))),
    deductible: z.optional(
      z.strictObject({
        /** Fixed amount, or a share of the loss in basis points with a minimum. */
        fixed: z.optional(z.int().check(z.gte(0))),
        percentBps: z.optional(z.int().check(z.gte(0), z.lte(10_000))),
        minimum: z.optional(z.int().check(z.gte(0))),
        waivedOnTotalLoss: z._default(z.boolean(), false),
      }),
    ),
  }),
);
export type Cover = z.infer<typeof Cover>;

/** A registered contact of the policyholder: notifications about the policy's claims go here. */
export const PolicyContact = /* @__PURE__ */ defineSchema(() =>
  z
    .strictObject({
      name: z.optional(z.string().check(z.minLength(1), z.maxLength(120))),
      email: z.optional(z.email().check(z.maxLength(254))),
      /** Vietnamese mobile number, as the policy system holds it (+84… or 0…). */
      phone: z.optional(z.string().check(z.regex(/^(\+84|0)\d{9,10}$/))),
    })
    .check(
      z.refine((c) => c.email !== undefined || c.phone !== undefined, { message: 'email or phone required' }),
    ),
);
export type PolicyContact = z.infer<typeof PolicyContact>;

/** What a policy version records about how it came to be (new business, renewal, endorsement, cancellation). */
export const POLICY_CHANGE_TYPES = ['new', 'renewal', 'endorsement', 'cancellation'] as const;
export type PolicyChangeType = (typeof POLICY_CHANGE_TYPES)[number];

export const Policy = /* @__PURE__ */ defineSchema(() =>
  z
    .strictObject({
      policyNumber: z.string().check(z.minLength(3), z.maxLength(40)),
      /**
       * The policy administration system's version of this policy (1 for new business, +1 per
       * endorsement, renewal or cancellation). A claim pins the version it was checked against.
       */
      version: z._default(z.int().check(z.gte(1), z.lte(99_999)), 1),
      changeType: z._default(z.enum(POLICY_CHANGE_TYPES), 'new'),
      /** When this version takes effect (an endorsement's or cancellation's effective date). */
      changeEffectiveAt: z.optional(z.iso.datetime({ offset: true })),
      productCode: z.enum(PRODUCT_CODES),
      customerId: z.string().check(z.minLength(1), z.maxLength(POLICY_LIMITS.customerId)),
      holderName: z.string().check(z.minLength(1), z.maxLength(POLICY_LIMITS.name)),
      /** The holder's tax code (MST) or citizen id (CCCD), when the policy system has it: matched against invoice buyers. */
      holderIdNumber: z.optional(z.string().check(z.minLength(9), z.maxLength(14))),
      /** Inclusive start and end, as instants (policies usually run 00:00 to 24:00 VN time). */
      effectiveFrom: z.iso.datetime({ offset: true }),
      effectiveTo: z.iso.datetime({ offset: true }),
      status: z.enum(['in_force', 'cancelled', 'lapsed']),
      premium: z.int().check(z.gte(0)),
      covers: z.array(Cover).check(z.minLength(1), z.maxLength(POLICY_LIMITS.covers)),
      /** Value of the insured object when the policy was written (for the average clause, Art. 48). */
      insuredValue: z.optional(z.int().check(z.gte(0))),
      addOns: z._default(
        z.array(bounded(POLICY_LIMITS.addOnCode)).check(z.maxLength(POLICY_LIMITS.addOns)),
        [],
      ),
      insuredObject: z._default(
        z.strictObject({
          vehiclePlate: z.optional(bounded(POLICY_LIMITS.plate)),
          vehicleMakeModel: z.optional(bounded(POLICY_LIMITS.name)),
          address: z.optional(bounded(POLICY_LIMITS.address)),
          insuredPersons: z.optional(
            z.array(bounded(POLICY_LIMITS.name)).check(z.maxLength(POLICY_LIMITS.insuredPersons)),
          ),
          destination: z.optional(bounded(POLICY_LIMITS.name)),
        }),
        {},
      ),
      contacts: z._default(z.array(PolicyContact).check(z.maxLength(5)), []),
    })
    .check(
      z.refine((p) => Date.parse(p.effectiveFrom) < Date.parse(p.effectiveTo), {
        path: ['effectiveTo'],
        message: 'effectiveTo must be after effectiveFrom',
      }),
    ),
);
export type Policy = z.infer<typeof Policy>;
/** A policy as written before defaults apply (demo data, import rows). */
export type PolicyInput = z.input<typeof Policy>;

/** What a customer (or the call centre) sees in a policy list: no premium, no internal values. */
export function policySummary(p: Policy) {
  return {
    policyNumber: p.policyNumber,
    productCode: p.productCode,
    holderName: p.holderName,
    effectiveFrom: p.effectiveFrom,
    effectiveTo: p.effectiveTo,
    status: p.status,
    insuredObject: p.insuredObject,
    covers: p.covers.map((c) => ({
      code: c.code,
      name: c.name,
      causes: c.causes,
      sumInsured: c.sumInsured,
      subLimit: c.subLimit,
    })),
  };
}
export type PolicySummary = ReturnType<typeof policySummary>;
