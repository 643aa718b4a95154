import * as z from 'zod';
import { CAUSES, PRODUCT_CODES } from './products.ts';

/** A policy as imported from the insurer's policy administration system. */
export const Cover = z
  .object({
    code: z.string().min(1),
    name: z.object({ vi: z.string(), en: z.string() }).strict(),
    /** Causes this cover responds to. */
    causes: z.array(z.enum(CAUSES)).min(1),
    sumInsured: z.number().int().min(0),
    /** Per-claim sub-limit; absent means the sum insured is the limit. */
    subLimit: z.number().int().min(0).optional(),
    deductible: z
      .object({
        /** Fixed amount, or a share of the loss in basis points with a minimum. */
        fixed: z.number().int().min(0).optional(),
        percentBps: z.number().int().min(0).max(10_000).optional(),
        minimum: z.number().int().min(0).optional(),
        waivedOnTotalLoss: z.boolean().default(false),
      })
      .strict()
      .optional(),
  })
  .strict();
export type Cover = z.infer<typeof Cover>;

/** A registered contact of the policyholder: notifications about the policy's claims go here. */
export const PolicyContact = z
  .object({
    name: z.string().min(1).max(120).optional(),
    email: z.email().max(254).optional(),
    /** Vietnamese mobile number, as the policy system holds it (+84… or 0…). */
    phone: z
      .string()
      .regex(/^(\+84|0)\d{9,10}$/)
      .optional(),
  })
  .strict()
  .refine((c) => c.email !== undefined || c.phone !== undefined, { message: 'email or phone required' });
export type PolicyContact = z.infer<typeof PolicyContact>;

/** What a policy version records about how it came to be (new business, renewal, endorsement, cancellation). */
export const POLICY_CHANGE_TYPES = ['new', 'renewal', 'endorsement', 'cancellation'] as const;
export type PolicyChangeType = (typeof POLICY_CHANGE_TYPES)[number];

export const Policy = z
  .object({
    policyNumber: z.string().min(3).max(40),
    /**
     * The policy administration system's version of this policy (1 for new business, +1 per
     * endorsement, renewal or cancellation). A claim pins the version it was checked against.
     */
    version: z.number().int().min(1).max(99_999).default(1),
    changeType: z.enum(POLICY_CHANGE_TYPES).default('new'),
    /** When this version takes effect (an endorsement's or cancellation's effective date). */
    changeEffectiveAt: z.iso.datetime({ offset: true }).optional(),
    productCode: z.enum(PRODUCT_CODES),
    customerId: z.string().min(1),
    holderName: z.string().min(1),
    /** The holder's tax code (MST) or citizen id (CCCD), when the policy system has it: matched against invoice buyers. */
    holderIdNumber: z.string().min(9).max(14).optional(),
    /** Inclusive start and end, as instants (policies usually run 00:00 to 24:00 VN time). */
    effectiveFrom: z.iso.datetime({ offset: true }),
    effectiveTo: z.iso.datetime({ offset: true }),
    status: z.enum(['in_force', 'cancelled', 'lapsed']),
    premium: z.number().int().min(0),
    covers: z.array(Cover).min(1),
    /** Value of the insured object when the policy was written (for the average clause, Art. 48). */
    insuredValue: z.number().int().min(0).optional(),
    addOns: z.array(z.string()).default([]),
    insuredObject: z
      .object({
        vehiclePlate: z.string().optional(),
        vehicleMakeModel: z.string().optional(),
        address: z.string().optional(),
        insuredPersons: z.array(z.string()).optional(),
        destination: z.string().optional(),
      })
      .strict()
      .default({}),
    contacts: z.array(PolicyContact).max(5).default([]),
  })
  .strict()
  .refine((p) => Date.parse(p.effectiveFrom) < Date.parse(p.effectiveTo), {
    path: ['effectiveTo'],
    message: 'effectiveTo must be after effectiveFrom',
  });
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
