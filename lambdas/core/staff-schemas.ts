import * as z from 'zod/mini';
import { defineSchema } from './define-schema.ts';
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
const Version = /* @__PURE__ */ defineSchema(() => z.int().check(z.gte(1)));

export const RecordAssessmentBody = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    expectedVersion: Version,
    items: z.array(LossItem).check(z.minLength(1), z.maxLength(500)),
    marketValue: z.optional(z.int().check(z.gte(0))),
    salvage: z._default(z.int().check(z.gte(0)), 0),
    mitigationCosts: z._default(z.int().check(z.gte(0)), 0),
    reductions: z._default(z.array(Reduction).check(z.maxLength(20)), []),
    /** Depreciation of replaced parts; waived automatically when the policy has the new-for-old add-on. */
    depreciation: z._default(
      z.strictObject({
        bpsPerYear: z.int().check(z.gte(0), z.lte(10_000)),
        maxBps: z.int().check(z.gte(0), z.lte(10_000)),
      }),
      { bpsPerYear: 0, maxBps: 0 },
    ),
    note: z.optional(z.string().check(z.trim(), z.maxLength(4000))),
  }),
);
export type RecordAssessmentBody = z.infer<typeof RecordAssessmentBody>;

export const DecisionBody = /* @__PURE__ */ defineSchema(() =>
  z.discriminatedUnion('outcome', [
    z.strictObject({
      outcome: z.literal('approve'),
      expectedVersion: Version,
      note: z.optional(z.string().check(z.trim(), z.maxLength(4000))),
    }),
    z.strictObject({
      outcome: z.literal('partial'),
      expectedVersion: Version,
      amount: z.int().check(z.gte(1)),
      reasons: z.array(RejectionReason).check(z.minLength(1), z.maxLength(20)),
      note: z.optional(z.string().check(z.trim(), z.maxLength(4000))),
    }),
    z.strictObject({
      outcome: z.literal('reject'),
      expectedVersion: Version,
      reasons: z.array(RejectionReason).check(z.minLength(1), z.maxLength(20)),
      note: z.optional(z.string().check(z.trim(), z.maxLength(4000))),
    }),
  ]),
);
export type DecisionBody = z.infer<typeof DecisionBody>;

export const SupervisorApprovalBody = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    expectedVersion: Version,
    approve: z.boolean(),
    comment: z.string().check(z.trim(), z.minLength(1), z.maxLength(4000)),
  }),
);

export const VoteBody = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    /** The approval round the reviewer read: a vote counts only in that round, never a later one. */
    round: z.int().check(z.gte(1)),
    department: z.enum(DEPARTMENTS),
    vote: z.enum(['approve', 'reject']),
    comment: z.string().check(z.trim(), z.minLength(1), z.maxLength(4000)),
  }),
);
export type VoteBody = z.infer<typeof VoteBody>;

export const InfoRequestBody = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    expectedVersion: Version,
    message: z.string().check(z.trim(), z.minLength(5), z.maxLength(4000)),
    documents: z._default(z.array(z.enum(DOCUMENT_TYPES)).check(z.maxLength(20)), []),
  }),
);

export const InspectionBody = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    expectedVersion: Version,
    at: z.iso.datetime({ offset: true }).check(z.maxLength(40)),
    place: z.string().check(z.trim(), z.minLength(3), z.maxLength(300)),
    note: z.optional(z.string().check(z.trim(), z.maxLength(2000))),
  }),
);

export const ReassignBody = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    expectedVersion: Version,
    staffId: z.string().check(z.minLength(1), z.maxLength(128)),
    reason: z.string().check(z.trim(), z.minLength(3), z.maxLength(1000)),
  }),
);

export const NoteBody = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    text: z.string().check(z.trim(), z.minLength(1), z.maxLength(4000)),
  }),
);

/** An advance payment (compulsory motor TPL): an amount and why, against the version on screen. */
export const AdvancePaymentBody = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    expectedVersion: z.int().check(z.gte(1)),
    amount: z.int().check(z.gte(1), z.lte(MAX_AMOUNT)),
    note: z.string().check(z.trim(), z.minLength(10), z.maxLength(1000)),
  }),
);
export type AdvancePaymentBody = z.infer<typeof AdvancePaymentBody>;

/** Phone channel: call-centre staff file for a customer. */
export const StaffClaimBody = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    customerId: z.string().check(z.minLength(1), z.maxLength(40)),
    report: SubmitClaimRequest,
  }),
);

export const QueueQuery = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    view: z._default(z.enum(['mine', 'team', 'approvals', 'all']), 'mine'),
    status: z.optional(z.enum(CLAIM_STATUSES)),
    line: z.optional(z.enum(PRODUCT_LINES)),
    limit: PageLimit,
    cursor: CursorParam,
  }),
);

export const StaffUpdateBody = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    displayName: z.string().check(z.trim(), z.minLength(2), z.maxLength(120)),
    email: z.email().check(z.maxLength(254)),
    phone: z.optional(z.string().check(z.maxLength(20))),
    roles: z.array(z.enum(ROLES)).check(z.minLength(1), z.maxLength(ROLES.length)),
    skills: z._default(z.array(z.enum(PRODUCT_LINES)).check(z.maxLength(PRODUCT_LINES.length)), []),
    regions: z._default(
      z.array(z.string().check(z.trim(), z.minLength(2), z.maxLength(80))).check(z.maxLength(100)),
      [],
    ),
    authorityLimit: z.int().check(z.gte(0), z.lte(MAX_AMOUNT)),
    active: z.boolean(),
    department: z.optional(z.enum(DEPARTMENTS)),
    /** The staff member's own bank account: no claim paying into it can be approved (SoD). */
    bankAccount: z.optional(z.nullable(BankAccount)),
    /**
     * The account's version the editor read (GET /staff gives it): the change is refused when
     * another administrator saved the account since (VERSION_CONFLICT). The console always sends it.
     */
    expectedVersion: z.optional(z.int().check(z.gte(0))),
    /**
     * Sign-in name, set once when the account is created (default: the email's local part). Needed
     * when two staff share a local part (`an@hn…`, `an@hcm…`); it cannot change afterwards.
     */
    username: z.optional(
      z
        .string()
        .check(
          z.maxLength(40),
          z.regex(
            /^[a-z0-9][a-z0-9._-]{1,38}[a-z0-9]$/,
            '3–40 lowercase letters, digits, dots, dashes or underscores',
          ),
        ),
    ),
  }),
);
export type StaffUpdateBody = z.infer<typeof StaffUpdateBody>;

/** Configuration versions: 0 means "nothing stored yet, the shipped default is in force". */
const ConfigVersion = /* @__PURE__ */ defineSchema(() => z.int().check(z.gte(0)));

/**
 * PUT /admin/products/{productCode} as the console builds it (and as OpenAPI documents it). The
 * handler accepts `config` as any object and checks it with the product rules, so that every
 * problem with it is a CONFIG_INVALID with field issues (see core/config-rules.ts).
 */
export const ProductConfigChange = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({ expectedVersion: ConfigVersion, config: ProductConfig }),
);
export const ProductConfigChangeEnvelope = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    expectedVersion: ConfigVersion,
    config: z.record(z.string(), z.unknown()),
  }),
);

/** PUT /admin/quotas: the per-caller daily write quotas (core/quotas.ts). */
export const QuotasChange = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({ expectedVersion: ConfigVersion, quotas: QuotaLimits }),
);

/** PUT /admin/calendar: the holiday calendar, checked the same way. */
export const CalendarChange = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({ expectedVersion: ConfigVersion, calendar: HolidayCalendar }),
);
export const CalendarChangeEnvelope = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    expectedVersion: ConfigVersion,
    calendar: z.record(z.string(), z.unknown()),
  }),
);

/** PUT /admin/templates/{templateName}: a notification template, checked against the shipped one. */
export const TemplateChange = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({ expectedVersion: ConfigVersion, template: MessageTemplate }),
);
export const TemplateChangeEnvelope = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    expectedVersion: ConfigVersion,
    template: z.record(z.string(), z.unknown()),
  }),
);

/** POST /admin/templates/{templateName}/preview: an unsaved template, rendered with sample data. */
const PreviewLocale = /* @__PURE__ */ defineSchema(() => z.enum(['vi', 'en']));
export const TemplatePreview = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({ locale: PreviewLocale, template: MessageTemplate }),
);
export const TemplatePreviewEnvelope = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    locale: PreviewLocale,
    template: z.record(z.string(), z.unknown()),
  }),
);

/** POST /claims/{claimId}/waivers: a supervisor goes ahead without one required document. */
export const WaiverBody = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    expectedVersion: Version,
    docType: z.enum(DOCUMENT_TYPES),
    reason: z.string().check(z.trim(), z.minLength(10), z.maxLength(2000)),
  }),
);
export type WaiverBody = z.infer<typeof WaiverBody>;

/**
 * POST /claims/{claimId}/payout-account/verify: a supervisor verified the payout account staff typed
 * in with the customer at their registered phone; the note says when and what was confirmed.
 */
export const VerifyPayoutAccountBody = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    expectedVersion: Version,
    note: z.string().check(z.trim(), z.minLength(10), z.maxLength(2000)),
  }),
);
export type VerifyPayoutAccountBody = z.infer<typeof VerifyPayoutAccountBody>;
