import * as z from 'zod/mini';
import { defineSchema } from './define-schema.ts';
import { CAUSES, PRODUCT_CODES } from './products.ts';

/** A policy as imported from the insurer's policy administration system. */
export const Cover = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    code: z.string().check(z.minLength(1)),
    name: z.strictObject({ vi: z.string(), en: z.string() }),
    /** Causes this cover responds to. */
    causes: z.array(z.enum(CAUSES)).check(z.minLength(1)),
    sumInsured: z.int().check(z.gte(0)),
    /** Per-claim sub-limit; absent means the sum insured is the limit. */
    subLimit: z.optional(z.int().check(z.gte(0))),
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
      customerId: z.string().check(z.minLength(1)),
      holderName: z.string().check(z.minLength(1)),
      /** The holder's tax code (MST) or citizen id (CCCD), when the policy system has it: matched against invoice buyers. */
      holderIdNumber: z.optional(z.string().check(z.minLength(9), z.maxLength(14))),
      /** Inclusive start and end, as instants (policies usually run 00:00 to 24:00 VN time). */
      effectiveFrom: z.iso.datetime({ offset: true }),
      effectiveTo: z.iso.datetime({ offset: true }),
      status: z.enum(['in_force', 'cancelled', 'lapsed']),
      premium: z.int().check(z.gte(0)),
      covers: z.array(Cover).check(z.minLength(1)),
      /** Value of the insured object when the policy was written (for the average clause, Art. 48). */
      insuredValue: z.optional(z.int().check(z.gte(0))),
      addOns: z._default(z.array(z.string()), []),
      insuredObject: z._default(
        z.strictObject({
          vehiclePlate: z.optional(z.string()),
          vehicleMakeModel: z.optional(z.string()),
          address: z.optional(z.string()),
          insuredPersons: z.optional(z.array(z.string())),
          destination: z.optional(z.string()),
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
