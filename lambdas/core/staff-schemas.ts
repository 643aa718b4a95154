import * as z from 'zod';
import { BankAccount, DEPARTMENTS, RejectionReason, SubmitClaimRequest } from './claim.ts';
import { LossItem, Reduction } from './payout.ts';
import { MAX_AMOUNT } from './money.ts';
import { HolidayCalendar } from './calendar.ts';
import { DOCUMENT_TYPES, PRODUCT_LINES, ProductConfig } from './products.ts';
import { MessageTemplate } from './templates.ts';

/** The customer's replies live apart so the customer app does not bundle the template schemas. */
export { InfoResponseBody, InspectionReplyBody } from './customer-replies.ts';
import { CLAIM_STATUSES } from './claim.ts';
import { CursorParam, PageLimit } from './search.ts';
import { ROLES } from '../shared/roles.ts';
import { QuotaLimits } from './quotas.ts';

/**
 * Request bodies of the staff console and the customer's replies, shared by the API, the OpenAPI
 * document and both web apps. Writes that change a claim carry the version the client saw
 * (`expectedVersion`, or an `If-Match` header) so a stale screen gets 409, never an overwrite.
 */
const Version = z.number().int().min(1);

export const RecordAssessmentBody = z
  .object({
    expectedVersion: Version,
    items: z.array(LossItem).min(1).max(500),
    marketValue: z.number().int().min(0).optional(),
    salvage: z.number().int().min(0).default(0),
    mitigationCosts: z.number().int().min(0).default(0),
    reductions: z.array(Reduction).max(20).default([]),
    /** Depreciation of replaced parts; waived automatically when the policy has the new-for-old add-on. */
    depreciation: z
      .object({
        bpsPerYear: z.number().int().min(0).max(10_000),
        maxBps: z.number().int().min(0).max(10_000),
      })
      .strict()
      .default({ bpsPerYear: 0, maxBps: 0 }),
    note: z.string().trim().max(4000).optional(),
  })
  .strict();
export type RecordAssessmentBody = z.infer<typeof RecordAssessmentBody>;

export const DecisionBody = z.discriminatedUnion('outcome', [
  z
    .object({
      outcome: z.literal('approve'),
      expectedVersion: Version,
      note: z.string().trim().max(4000).optional(),
    })
    .strict(),
  z
    .object({
      outcome: z.literal('partial'),
      expectedVersion: Version,
      amount: z.number().int().min(1),
      reasons: z.array(RejectionReason).min(1).max(20),
      note: z.string().trim().max(4000).optional(),
    })
    .strict(),
  z
    .object({
      outcome: z.literal('reject'),
      expectedVersion: Version,
      reasons: z.array(RejectionReason).min(1).max(20),
      note: z.string().trim().max(4000).optional(),
    })
    .strict(),
]);
export type DecisionBody = z.infer<typeof DecisionBody>;

export const SupervisorApprovalBody = z
  .object({ expectedVersion: Version, approve: z.boolean(), comment: z.string().trim().min(1).max(4000) })
  .strict();

export const VoteBody = z
  .object({
    department: z.enum(DEPARTMENTS),
    vote: z.enum(['approve', 'reject']),
    comment: z.string().trim().min(1).max(4000),
  })
  .strict();
export type VoteBody = z.infer<typeof VoteBody>;

export const InfoRequestBody = z
  .object({
    expectedVersion: Version,
    message: z.string().trim().min(5).max(4000),
    documents: z.array(z.enum(DOCUMENT_TYPES)).max(20).default([]),
  })
  .strict();

export const InspectionBody = z
  .object({
    expectedVersion: Version,
    at: z.iso.datetime({ offset: true }).max(40),
    place: z.string().trim().min(3).max(300),
    note: z.string().trim().max(2000).optional(),
  })
  .strict();

export const ReassignBody = z
  .object({
    expectedVersion: Version,
    staffId: z.string().min(1).max(128),
    reason: z.string().trim().min(3).max(1000),
  })
  .strict();

export const NoteBody = z.object({ text: z.string().trim().min(1).max(4000) }).strict();

/** An advance payment (compulsory motor TPL): an amount and why, against the version on screen. */
export const AdvancePaymentBody = z
  .object({
    expectedVersion: z.number().int().min(1),
    amount: z.number().int().min(1).max(MAX_AMOUNT),
    note: z.string().trim().min(10).max(1000),
  })
  .strict();
export type AdvancePaymentBody = z.infer<typeof AdvancePaymentBody>;

/** Phone channel: call-centre staff file for a customer. */
export const StaffClaimBody = z
  .object({ customerId: z.string().min(1).max(40), report: SubmitClaimRequest })
  .strict();

export const QueueQuery = z
  .object({
    view: z.enum(['mine', 'team', 'approvals', 'all']).default('mine'),
    status: z.enum(CLAIM_STATUSES).optional(),
    line: z.enum(PRODUCT_LINES).optional(),
    limit: PageLimit,
    cursor: CursorParam,
  })
  .strict();

export const StaffUpdateBody = z
  .object({
    displayName: z.string().trim().min(2).max(120),
    email: z.email().max(254),
    phone: z.string().max(20).optional(),
    roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length),
    skills: z.array(z.enum(PRODUCT_LINES)).max(PRODUCT_LINES.length).default([]),
    regions: z.array(z.string().trim().min(2).max(80)).max(100).default([]),
    authorityLimit: z.number().int().min(0),
    active: z.boolean(),
    department: z.enum(DEPARTMENTS).optional(),
    /** The staff member's own bank account: no claim paying into it can be approved (SoD). */
    bankAccount: z.optional(z.nullable(BankAccount)),
    /**
     * Sign-in name, set once when the account is created (default: the email's local part). Needed
     * when two staff share a local part (`an@hn…`, `an@hcm…`); it cannot change afterwards.
     */
    username: z
      .string()
      .max(40)
      .regex(
        /^[a-z0-9][a-z0-9._-]{1,38}[a-z0-9]$/,
        '3–40 lowercase letters, digits, dots, dashes or underscores',
      )
      .optional(),
  })
  .strict();
export type StaffUpdateBody = z.infer<typeof StaffUpdateBody>;

/** Configuration versions: 0 means "nothing stored yet, the shipped default is in force". */
const ConfigVersion = z.number().int().min(0);

/**
 * PUT /admin/products/{productCode} as the console builds it (and as OpenAPI documents it). The
 * handler accepts `config` as any object and checks it with the product rules, so that every
 * problem with it is a CONFIG_INVALID with field issues (see core/config-rules.ts).
 */
export const ProductConfigChange = z
  .object({ expectedVersion: ConfigVersion, config: ProductConfig })
  .strict();
export const ProductConfigChangeEnvelope = z
  .object({ expectedVersion: ConfigVersion, config: z.record(z.string(), z.unknown()) })
  .strict();

/** PUT /admin/quotas: the per-caller daily write quotas (core/quotas.ts). */
export const QuotasChange = z.object({ expectedVersion: ConfigVersion, quotas: QuotaLimits }).strict();

/** PUT /admin/calendar: the holiday calendar, checked the same way. */
export const CalendarChange = z
  .object({ expectedVersion: ConfigVersion, calendar: HolidayCalendar })
  .strict();
export const CalendarChangeEnvelope = z
  .object({ expectedVersion: ConfigVersion, calendar: z.record(z.string(), z.unknown()) })
  .strict();

/** PUT /admin/templates/{templateName}: a notification template, checked against the shipped one. */
export const TemplateChange = z
  .object({ expectedVersion: ConfigVersion, template: MessageTemplate })
  .strict();
export const TemplateChangeEnvelope = z
  .object({ expectedVersion: ConfigVersion, template: z.record(z.string(), z.unknown()) })
  .strict();

/** POST /admin/templates/{templateName}/preview: an unsaved template, rendered with sample data. */
const PreviewLocale = z.enum(['vi', 'en']);
export const TemplatePreview = z.object({ locale: PreviewLocale, template: MessageTemplate }).strict();
export const TemplatePreviewEnvelope = z
  .object({ locale: PreviewLocale, template: z.record(z.string(), z.unknown()) })
  .strict();

/** POST /claims/{claimId}/waivers: a supervisor goes ahead without one required document. */
export const WaiverBody = z
  .object({
    expectedVersion: Version,
    docType: z.enum(DOCUMENT_TYPES),
    reason: z.string().trim().min(10).max(2000),
  })
  .strict();
export type WaiverBody = z.infer<typeof WaiverBody>;
