import * as z from 'zod';

/** Request bodies the web apps share are in ./requests.ts (zod/mini). */
export { RequestUploadBody } from './requests.ts';

/**
 * POST /claims/{claimId}/documents/{documentId}/withdraw: the version of the claim the customer's
 * screen showed (a change meanwhile answers VERSION_CONFLICT rather than withdrawing blind).
 */
export const WithdrawDocumentBody = z.object({ expectedVersion: z.number().int().min(0) }).strict();
export type WithdrawDocumentBody = z.infer<typeof WithdrawDocumentBody>;

/**
 * POSTs whose path says everything (confirm, reveal, release, redeliver): no body or `{}`; any
 * field is refused (VALIDATION_FAILED), so nothing can ride along unnoticed.
 */
export const NoBody = z.object({}).strict().optional();

/**
 * Every coded error answer (lambdas/http/api-handler.ts). Codes are ERROR_STATUS keys; some codes
 * add their details beside them (QUOTA_EXCEEDED: quota, limit, retryAfterSeconds, resetsAt).
 */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string().max(64),
    message: z.string().max(500),
    correlationId: z.string().max(64),
    fields: z
      .array(z.object({ path: z.string().max(200), code: z.string().max(64), message: z.string().max(500) }))
      .max(100)
      .optional(),
  }),
});

export const ListQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    // Loose outer bound: the cursor's own bound and signature answer 400 INVALID_CURSOR.
    cursor: z.string().max(8192).optional(),
  })
  .strict();
