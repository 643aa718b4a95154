import * as z from 'zod/mini';
import { defineSchema } from './define-schema.ts';
import { MAX_AMOUNT } from './money.ts';

/**
 * Product configuration. Admins edit it (validated before it takes effect); the defaults below are
 * what a fresh install ships with. Legal references are in the comments next to the values.
 */
export {
  AMOUNT_DOCUMENT_TYPES,
  type AmountDocumentType,
  CAUSES,
  type Cause,
  CONTENT_FAMILIES,
  type ContentFamily,
  DOCUMENT_TYPES,
  type DocumentType,
  PRODUCT_CODES,
  PRODUCT_LINES,
  type ProductCode,
  type ProductLine,
} from './product-codes.ts';
import {
  AMOUNT_DOCUMENT_TYPES,
  CAUSES,
  CONTENT_FAMILIES,
  DOCUMENT_TYPES,
  PRODUCT_CODES,
  PRODUCT_LINES,
  type ProductLine,
} from './product-codes.ts';

export const ChecklistItem = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    type: z.enum(DOCUMENT_TYPES),
    required: z.boolean(),
    /** Only required when the claim's facts say so, e.g. a police conclusion when police attended. */
    requiredWhen: z.optional(z.enum(['police_attended', 'third_party_involved'])),
    /** Not asked for a loss of these causes (a stolen car has no damage to photograph or repair). */
    exceptCauses: z.optional(z.array(z.enum(CAUSES)).check(z.minLength(1), z.maxLength(CAUSES.length))),
    /** Always asked for a loss of these causes, whatever `required` says (a theft needs the police report). */
    requiredForCauses: z.optional(z.array(z.enum(CAUSES)).check(z.minLength(1), z.maxLength(CAUSES.length))),
    /** Kinds of file accepted for this document; absent = the default for its type (core/dossier.ts). */
    accepts: z.optional(z.array(z.enum(CONTENT_FAMILIES)).check(z.minLength(1), z.maxLength(3))),
  }),
);
export type ChecklistItem = z.infer<typeof ChecklistItem>;

export const SeverityBand = /* @__PURE__ */ defineSchema(() =>
  z.enum(['low', 'medium', 'high', 'large_loss']),
);
export type SeverityBand = z.infer<typeof SeverityBand>;

export const DeadlineRule = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    kind: z.enum([
      'acknowledgement',
      'guidance',
      'assessment',
      'advance_payment',
      'documents_reminder',
      'payment',
      'no_response_close',
      // The customer's appeal after a rejection (issue 10): how long they have to appeal after the
      // rejection letter, and how long the handler has to decide the appeal (core/appeal.ts).
      'appeal_window',
      'appeal_decision',
    ]),
    /** What starts the clock. */
    from: z.enum(['submitted', 'dossier_complete', 'info_requested', 'rejected', 'appealed']),
    amount: z.int().check(z.positive()),
    unit: z.enum(['hours', 'calendar_days', 'working_days']),
    /** Where the duration comes from in law or in the contract. */
    basis: z.string().check(z.maxLength(300)),
  }),
);
export type DeadlineRule = z.infer<typeof DeadlineRule>;

export const ProductConfig = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    code: z.enum(PRODUCT_CODES),
    line: z.enum(PRODUCT_LINES),
    name: z.strictObject({
      vi: z.string().check(z.minLength(1), z.maxLength(200)),
      en: z.string().check(z.minLength(1), z.maxLength(200)),
    }),
    /** Compulsory products have statutory rules of their own (e.g. Decree 67/2023 for motor TPL). */
    compulsory: z.boolean(),
    coveredCauses: z.array(z.enum(CAUSES)).check(z.minLength(1), z.maxLength(CAUSES.length)),
    /** Days the contract gives the insured to notify the insurer after the loss. */
    noticeDays: z.int().check(z.positive()),
    documentChecklist: z.array(ChecklistItem).check(z.minLength(1), z.maxLength(50)),
    /** Upper bounds (VND, inclusive) of the low / medium / high bands; above high is a large loss. */
    severityBands: z
      .strictObject({ low: z.int(), medium: z.int(), high: z.int() })
      .check(z.refine((b) => b.low < b.medium && b.medium < b.high, 'bands must increase')),
    /** Initial case reserve per cause as a share of the estimate, in basis points, with a floor. */
    reserve: z.strictObject({
      defaultBps: z.int().check(z.gte(0), z.lte(50_000)),
      byCauseBps: z.record(z.string(), z.int().check(z.gte(0), z.lte(50_000))),
      minimum: z.int().check(z.gte(0)),
    }),
    /** Straight-through processing: claims below this with all checks passed need no human. */
    straightThroughMax: z.int().check(z.gte(0), z.lte(MAX_AMOUNT)),
    /**
     * What straight-through processing may pay on, and its safeguards (app/straight-through.ts):
     * the evidenced amount comes from these invoice/receipt types only — the e-invoice XML total, or
     * the amount the customer declared when uploading the document; an empty list means never.
     */
    straightThrough: z.strictObject({
      evidence: z.array(z.enum(AMOUNT_DOCUMENT_TYPES)).check(z.maxLength(AMOUNT_DOCUMENT_TYPES.length)),
      /** A first claim whose loss falls within this many days of the policy's start goes to a person. */
      waitingPeriodDays: z.int().check(z.gte(0), z.lte(3650)),
      /** Share of straight-through payments sampled for review after payment, in basis points. */
      postAuditShareBps: z.int().check(z.gte(0), z.lte(10_000)),
    }),
    /** Joint decision above this payout, by the departments listed, with `quorum` approvals. */
    jointDecision: z
      .strictObject({
        threshold: z.int().check(z.gte(0), z.lte(MAX_AMOUNT)),
        departments: z
          .array(z.enum(['claims', 'underwriting', 'legal', 'finance']))
          .check(z.minLength(1), z.maxLength(4)),
        quorum: z.int().check(z.gte(1)),
      })
      .check(z.refine((j) => j.quorum <= j.departments.length, 'quorum cannot exceed departments')),
    deadlines: z.array(DeadlineRule).check(z.maxLength(50)),
    /** Segregation of duties: above `singleAssessorMax` (VND) the assessor may not approve alone. */
    approvalControls: z.optional(
      z.strictObject({ singleAssessorMax: z.int().check(z.gte(0), z.lte(MAX_AMOUNT)) }),
    ),
  }),
);
export type ProductConfig = z.infer<typeof ProductConfig>;

const motorDocs: ChecklistItem[] = [
  // Decree 67/2023/ND-CP Art. 13: claim letter, vehicle and driver papers, certificate, proof of loss.
  { type: 'claim_letter', required: true },
  { type: 'vehicle_registration', required: true },
  { type: 'driving_licence', required: true },
  { type: 'insurance_certificate', required: true },
  { type: 'damage_photos', required: true },
  { type: 'repair_invoice', required: true },
  { type: 'police_report', required: true, requiredWhen: 'police_attended' },
];

/**
 * Own damage also covers theft: a stolen car has no damage to photograph or repair, and a theft is
 * reported to the police whether or not they came to the scene.
 */
const motorOwnDamageDocs: ChecklistItem[] = motorDocs.map((d) =>
  d.type === 'damage_photos' || d.type === 'repair_invoice'
    ? { ...d, exceptCauses: ['theft'] }
    : d.type === 'police_report'
      ? { ...d, requiredForCauses: ['theft'] }
      : d,
);

const paymentDeadline: DeadlineRule = {
  kind: 'payment',
  from: 'dossier_complete',
  amount: 15,
  unit: 'calendar_days',
  basis: 'Law on Insurance Business 08/2022/QH15 Art. 31',
};
const ackDeadline: DeadlineRule = {
  kind: 'acknowledgement',
  from: 'submitted',
  amount: 24,
  unit: 'hours',
  basis: 'Service standard',
};
const docsReminder: DeadlineRule = {
  kind: 'documents_reminder',
  from: 'submitted',
  amount: 7,
  unit: 'calendar_days',
  basis: 'Service standard',
};

/** After an information request: a reminder, then closure for no response (with a notice). */
const infoReminder: DeadlineRule = {
  kind: 'documents_reminder',
  from: 'info_requested',
  amount: 5,
  unit: 'working_days',
  basis: 'Service standard',
};
const noResponseClose: DeadlineRule = {
  kind: 'no_response_close',
  from: 'info_requested',
  amount: 30,
  unit: 'calendar_days',
  basis: 'Policy wording: claim lapses if requested information is not provided',
};

export const DEFAULT_PRODUCTS: readonly ProductConfig[] = [
  {
    code: 'MOTOR_OD',
    line: 'motor',
    name: { vi: 'Bảo hiểm vật chất xe ô tô', en: 'Motor own damage' },
    compulsory: false,
    coveredCauses: [
      'collision',
      'theft',
      'fire',
      'flood',
      'storm',
      'glass_breakage',
      'vandalism',
      'explosion',
    ],
    noticeDays: 5,
    documentChecklist: motorOwnDamageDocs,
    severityBands: { low: 20_000_000, medium: 100_000_000, high: 500_000_000 },
    reserve: { defaultBps: 10_000, byCauseBps: { theft: 10_000, flood: 12_000 }, minimum: 1_000_000 },
    straightThroughMax: 10_000_000,
    straightThrough: { evidence: ['repair_invoice'], waitingPeriodDays: 15, postAuditShareBps: 1_000 },
    jointDecision: { threshold: 500_000_000, departments: ['claims', 'underwriting', 'finance'], quorum: 3 },
    deadlines: [ackDeadline, docsReminder, paymentDeadline, infoReminder, noResponseClose],
  },
  {
    code: 'MOTOR_TPL',
    line: 'motor',
    name: { vi: 'Bảo hiểm bắt buộc TNDS của chủ xe cơ giới', en: 'Compulsory motor third-party liability' },
    compulsory: true,
    coveredCauses: ['third_party_injury', 'third_party_property', 'collision'],
    noticeDays: 5,
    documentChecklist: motorDocs,
    severityBands: { low: 20_000_000, medium: 100_000_000, high: 150_000_000 },
    reserve: { defaultBps: 10_000, byCauseBps: { third_party_injury: 15_000 }, minimum: 2_000_000 },
    straightThroughMax: 10_000_000,
    straightThrough: { evidence: ['repair_invoice'], waitingPeriodDays: 15, postAuditShareBps: 1_000 },
    jointDecision: { threshold: 150_000_000, departments: ['claims', 'legal', 'finance'], quorum: 3 },
    deadlines: [
      ackDeadline,
      // Decree 67/2023 Art. 12: guidance within 1 hour, assessment within 24 hours, advance within
      // 3 working days of receiving the notice.
      {
        kind: 'guidance',
        from: 'submitted',
        amount: 1,
        unit: 'hours',
        basis: 'Decree 67/2023/ND-CP Art. 12',
      },
      {
        kind: 'assessment',
        from: 'submitted',
        amount: 24,
        unit: 'hours',
        basis: 'Decree 67/2023/ND-CP Art. 12',
      },
      {
        kind: 'advance_payment',
        from: 'submitted',
        amount: 3,
        unit: 'working_days',
        basis: 'Decree 67/2023/ND-CP Art. 14',
      },
      docsReminder,
      paymentDeadline,
      infoReminder,
      noResponseClose,
    ],
  },
  {
    code: 'PROPERTY_FIRE',
    line: 'property',
    name: { vi: 'Bảo hiểm cháy, nổ và tài sản', en: 'Property and fire' },
    compulsory: false,
    coveredCauses: ['fire', 'explosion', 'lightning', 'flood', 'storm', 'theft'],
    noticeDays: 14,
    documentChecklist: [
      { type: 'claim_letter', required: true },
      { type: 'ownership_proof', required: true },
      { type: 'loss_inventory', required: true },
      { type: 'damage_photos', required: true },
      {
        type: 'fire_brigade_report',
        required: true,
        requiredWhen: 'police_attended',
        exceptCauses: ['theft'],
      },
      { type: 'police_report', required: false, requiredForCauses: ['theft'] },
      { type: 'repair_invoice', required: false },
    ],
    severityBands: { low: 50_000_000, medium: 500_000_000, high: 2_000_000_000 },
    reserve: { defaultBps: 9_000, byCauseBps: { fire: 11_000 }, minimum: 5_000_000 },
    straightThroughMax: 20_000_000,
    straightThrough: { evidence: ['repair_invoice'], waitingPeriodDays: 30, postAuditShareBps: 1_000 },
    jointDecision: {
      threshold: 2_000_000_000,
      departments: ['claims', 'underwriting', 'legal', 'finance'],
      quorum: 3,
    },
    deadlines: [ackDeadline, docsReminder, paymentDeadline, infoReminder, noResponseClose],
  },
  {
    code: 'HEALTH',
    line: 'health',
    name: { vi: 'Bảo hiểm sức khỏe', en: 'Health' },
    compulsory: false,
    coveredCauses: ['illness', 'accident', 'maternity'],
    noticeDays: 30,
    documentChecklist: [
      { type: 'claim_letter', required: true },
      { type: 'medical_report', required: true },
      { type: 'hospital_invoice', required: true },
      { type: 'discharge_paper', required: false },
      { type: 'prescription', required: false },
    ],
    severityBands: { low: 10_000_000, medium: 50_000_000, high: 300_000_000 },
    reserve: { defaultBps: 10_000, byCauseBps: {}, minimum: 500_000 },
    straightThroughMax: 5_000_000,
    // Health policies commonly wait 30 days for illness; a first claim inside them is checked by a person.
    straightThrough: { evidence: ['hospital_invoice'], waitingPeriodDays: 30, postAuditShareBps: 1_000 },
    jointDecision: { threshold: 300_000_000, departments: ['claims', 'underwriting', 'finance'], quorum: 2 },
    deadlines: [ackDeadline, docsReminder, paymentDeadline, infoReminder, noResponseClose],
  },
  {
    code: 'TRAVEL',
    line: 'travel',
    name: { vi: 'Bảo hiểm du lịch', en: 'Travel' },
    compulsory: false,
    coveredCauses: ['medical_abroad', 'trip_cancellation', 'baggage_loss', 'flight_delay', 'accident'],
    noticeDays: 30,
    documentChecklist: [
      { type: 'claim_letter', required: true },
      { type: 'passport', required: true },
      { type: 'boarding_pass', required: true },
      { type: 'carrier_report', required: false },
      { type: 'medical_report', required: false },
    ],
    severityBands: { low: 10_000_000, medium: 50_000_000, high: 500_000_000 },
    reserve: { defaultBps: 10_000, byCauseBps: {}, minimum: 500_000 },
    straightThroughMax: 5_000_000,
    // No invoice on the travel checklist: nothing to pay on by rule, so every travel claim sees a person.
    straightThrough: { evidence: [], waitingPeriodDays: 0, postAuditShareBps: 1_000 },
    jointDecision: { threshold: 500_000_000, departments: ['claims', 'finance'], quorum: 2 },
    deadlines: [ackDeadline, docsReminder, paymentDeadline, infoReminder, noResponseClose],
  },
];

/** Which product-specific facts each line takes. */
export const FACTS_KIND_BY_LINE: Record<ProductLine, 'motor' | 'property' | 'health' | 'travel'> = {
  motor: 'motor',
  property: 'property',
  health: 'health',
  travel: 'travel',
};

export function productByCode(products: readonly ProductConfig[], code: string): ProductConfig | undefined {
  return products.find((p) => p.code === code);
}
