import * as z from 'zod/mini';
import { defineSchema } from './define-schema.ts';

/** Request bodies the web apps share are in ./requests.ts (zod/mini). */
export { RequestUploadBody } from './requests.ts';

/**
 * POST /claims/{claimId}/documents/{documentId}/withdraw: the version of the claim the customer's
 * screen showed (a change meanwhile answers VERSION_CONFLICT rather than withdrawing blind).
 */
export const WithdrawDocumentBody = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({ expectedVersion: z.int().check(z.gte(0)) }),
);
export type WithdrawDocumentBody = z.infer<typeof WithdrawDocumentBody>;

/**
 * POSTs whose path says everything (confirm, reveal, release, redeliver): no body or `{}`; any
 * field is refused (VALIDATION_FAILED), so nothing can ride along unnoticed.
 */
export const NoBody = /* @__PURE__ */ defineSchema(() => z.optional(z.strictObject({})));

/**
 * Every coded error answer (lambdas/http/api-handler.ts). Codes are ERROR_STATUS keys; some codes
 * add their details beside them (QUOTA_EXCEEDED: quota, limit, retryAfterSeconds, resetsAt).
 */
export const ErrorBody = /* @__PURE__ */ defineSchema(() =>
  z.object({
    error: z.object({
      code: z.string().check(z.maxLength(64)),
      message: z.string().check(z.maxLength(500)),
      correlationId: z.string().check(z.maxLength(64)),
      fields: z.optional(
        z
          .array(
            z.object({
              path: z.string().check(z.maxLength(200)),
              code: z.string().check(z.maxLength(64)),
              message: z.string().check(z.maxLength(500)),
            }),
          )
          .check(z.maxLength(100)),
      ),
    }),
  }),
);

export const ListQuery = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 20),
    // Loose outer bound: the cursor's own bound and signature answer 400 INVALID_CURSOR.
    cursor: z.optional(z.string().check(z.maxLength(8192))),
  }),
);
