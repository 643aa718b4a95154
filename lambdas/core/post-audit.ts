import * as z from 'zod/mini';
import { defineSchema } from './define-schema.ts';
import { POST_AUDIT_OUTCOMES } from './claim.ts';

/**
 * Post-audit: a configurable share of straight-through payments (`straightThrough.postAuditShareBps`
 * per product; see `sampledForPostAudit`) is reviewed by a supervisor after payment, as insurers'
 * internal control does for automated settlements. The outcome is recorded on the claim's chain;
 * an irregular one refers the claim to the SIU (app/post-audit.ts) and is the cue for a recovery.
 */
export const PostAuditReviewBody = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    /** `confirmed`: the payment was right; `irregular`: it should not have been paid as it was. */
    outcome: z.enum(POST_AUDIT_OUTCOMES),
    note: z.string().check(z.trim(), z.minLength(3), z.maxLength(2000)),
    expectedVersion: z.optional(z.int().check(z.gte(1))),
  }),
);
export type PostAuditReviewBody = z.infer<typeof PostAuditReviewBody>;

export const PostAuditQuery = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    status: z._default(z.enum(['pending', 'reviewed']), 'pending'),
  }),
);
