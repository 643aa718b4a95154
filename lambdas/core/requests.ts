import * as z from 'zod/mini';
import { defineSchema } from './define-schema.ts';
import { UPLOAD_LIMITS } from './dossier.ts';
import { MAX_AMOUNT, Money } from './money.ts';
import { CAUSES, DOCUMENT_TYPES } from './product-codes.ts';

/**
 * The request bodies a customer fills in: the first notice of loss, an upload, a message, an appeal,
 * a payout account and its confirmation code, the answers to an information request or an inspection.
 * Defined once, here, and used by the API (the handlers parse with these very objects, the OpenAPI
 * document is generated from them) and by both web apps (which check a form before sending it and
 * show the same field errors the API would answer with, lambdas/core/field-issues.ts).
 *
 * Written with `zod/mini`, zod's tree-shakable build: classic zod cannot be tree-shaken and would be a
 * third of the customer app's JavaScript (README "Web apps": the 60 KB gzip budget). The server's
 * schemas are zod/mini too (classic zod was ~99 KB of every Lambda bundle, README "Performance").
 * Strict objects everywhere: an unknown field is an error the client hears about, not silently
 * dropped. This module imports no classic zod, directly or through another module.
 */
const trimmed = (min: number, max: number) => z.string().check(z.trim(), z.minLength(min), z.maxLength(max));
const isoDate = () => z.iso.date().check(z.maxLength(10));
const isoDateTime = () => z.iso.datetime({ offset: true }).check(z.maxLength(40));

/** Vietnamese mobile or landline, national (0…) or international (+84…) form. */
export const VN_PHONE = /^(\+84|0)(3|5|7|8|9|2)\d{8,9}$/;

export const MotorFacts = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    kind: z.literal('motor'),
    vehiclePlate: z
      .string()
      .check(
        z.trim(),
        z.maxLength(16),
        z.regex(/^[0-9]{2}[A-Z]{1,2}[0-9]?-?[0-9]{3,5}(\.[0-9]{2})?$/i, 'plate'),
      ),
    driverName: z.optional(trimmed(1, 120)),
    policeAttended: z._default(z.boolean(), false),
    /** Someone who saw the loss was named (a fraud-indicator feature). */
    witnessPresent: z.optional(z.boolean()),
    /** Who caused the loss, when the customer says. */
    fault: z.optional(z.enum(['policy_holder', 'third_party'])),
    /** Year of manufacture (registration papers), for the vehicle's age. */
    vehicleYear: z.optional(z.int().check(z.gte(1950), z.lte(2100))),
    otherParty: z.optional(
      z.strictObject({
        name: z.optional(trimmed(1, 120)),
        vehiclePlate: z.optional(trimmed(1, 20)),
        phone: z.optional(z.string().check(z.maxLength(16), z.regex(VN_PHONE, 'phone'))),
        insurer: z.optional(trimmed(1, 120)),
      }),
    ),
  }),
);

export const PropertyFacts = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    kind: z.literal('property'),
    policeAttended: z._default(z.boolean(), false),
    witnessPresent: z.optional(z.boolean()),
    items: z
      .array(
        z.strictObject({
          description: trimmed(1, 200),
          estimatedAmount: z.int().check(z.gte(0)),
          /** Year the item was bought, for its age. */
          purchasedYear: z.optional(z.int().check(z.gte(1900), z.lte(2100))),
        }),
      )
      .check(z.minLength(1), z.maxLength(200)),
  }),
);

export const HealthFacts = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    kind: z.literal('health'),
    patientName: trimmed(1, 120),
    hospital: trimmed(2, 200),
    diagnosis: trimmed(2, 500),
    admittedOn: z.optional(isoDate()),
    dischargedOn: z.optional(isoDate()),
  }),
);

export const TravelFacts = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    kind: z.literal('travel'),
    country: trimmed(2, 80),
    tripStart: isoDate(),
    tripEnd: isoDate(),
    carrier: z.optional(trimmed(1, 120)),
  }),
);

export const ClaimFacts = /* @__PURE__ */ defineSchema(() =>
  z.discriminatedUnion('kind', [MotorFacts, PropertyFacts, HealthFacts, TravelFacts]),
);
export type ClaimFacts = z.infer<typeof ClaimFacts>;

export const Contact = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    phone: z.string().check(z.trim(), z.maxLength(16), z.regex(VN_PHONE, 'phone')),
    email: z.email().check(z.maxLength(254)),
  }),
);

export const BankAccount = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    bankName: trimmed(2, 120),
    accountNumber: z.string().check(z.maxLength(20), z.regex(/^[0-9]{6,20}$/, 'account_number')),
    accountHolder: trimmed(2, 120),
  }),
);

/** POST /claims: the first notice of loss. */
export const SubmitClaimRequest = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    policyNumber: trimmed(3, 40),
    lossAt: isoDateTime(),
    lossPlace: z.strictObject({
      address: trimmed(3, 300),
      province: trimmed(2, 80),
    }),
    cause: z.enum(CAUSES),
    description: trimmed(10, 4000),
    facts: ClaimFacts,
    estimatedAmount: Money,
    contact: Contact,
    payoutAccount: BankAccount,
    locale: z._default(z.enum(['vi', 'en']), 'vi'),
    /**
     * The version of the privacy notice the person filing was shown (the app) or read (staff on the
     * phone): `PRIVACY_NOTICE_VERSION` (./privacy-notice.ts). Optional here because a claim made
     * from an e-mail has none; the API requires it, coded, for the other channels.
     */
    privacyNotice: z.optional(z.string().check(z.maxLength(20))),
  }),
);
export type SubmitClaimRequest = z.infer<typeof SubmitClaimRequest>;
export type SubmitClaimInput = z.input<typeof SubmitClaimRequest>;

/** POST /claims/{claimId}/documents: a presigned upload for one file. */
export const RequestUploadBody = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    docType: z.enum(DOCUMENT_TYPES),
    fileName: z.string().check(
      z.trim(),
      z.minLength(1),
      z.maxLength(200),
      z.refine((n) => !/[/\\]/.test(n) && ![...n].some((ch) => ch.charCodeAt(0) < 32), 'file_name'),
    ),
    contentType: z.enum(UPLOAD_LIMITS.contentTypes),
    size: z.int().check(z.gte(1), z.lte(UPLOAD_LIMITS.maxBytes)),
    /** The total on an invoice or receipt, as the uploader reads it (whole đồng); other types refuse it. */
    declaredAmount: z.optional(z.int().check(z.gte(1), z.lte(MAX_AMOUNT))),
  }),
);
export type RequestUploadBody = z.infer<typeof RequestUploadBody>;

export const MESSAGE_MAX_CHARS = 2000;

/** POST /claims/{claimId}/messages */
export const MessageBody = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({ text: trimmed(1, MESSAGE_MAX_CHARS) }),
);
export type MessageBody = z.infer<typeof MessageBody>;

export const APPEAL_REASON_MAX = 2000;

/** POST /claims/{claimId}/appeal */
export const AppealBody = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    /** Why the customer disagrees, in their words (the evidence is uploaded to the reopened claim). */
    reason: trimmed(10, APPEAL_REASON_MAX),
  }),
);
export type AppealBody = z.infer<typeof AppealBody>;

/** POST /claims/{claimId}/payout-account/confirm: the 6-digit code sent to the registered contact. */
export const ConfirmPayoutAccountBody = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    code: z.string().check(z.maxLength(6), z.regex(/^[0-9]{6}$/, 'code')),
  }),
);

/** POST /claims/{claimId}/info-requests/{requestId}/response: the customer's answer. */
export const InfoResponseBody = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({ message: trimmed(1, 4000) }),
);

/** POST /claims/{claimId}/inspections/{inspectionId}/reply: the customer confirms the visit or asks for another time. */
export const InspectionReplyBody = /* @__PURE__ */ defineSchema(() =>
  z.discriminatedUnion('reply', [
    z.strictObject({ reply: z.literal('confirm') }),
    z.strictObject({
      reply: z.literal('reschedule'),
      proposedAt: isoDateTime(),
      comment: z.optional(z.string().check(z.trim(), z.maxLength(1000))),
    }),
  ]),
);
