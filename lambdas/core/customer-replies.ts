import * as z from 'zod';

/** POST /claims/{claimId}/info-requests/{requestId}/response: the customer's answer. */
export const InfoResponseBody = z.object({ message: z.string().trim().min(1).max(4000) }).strict();

/** POST /claims/{claimId}/inspections/{inspectionId}/reply: the customer confirms the visit or asks for another time. */
export const InspectionReplyBody = z.discriminatedUnion('reply', [
  z.object({ reply: z.literal('confirm') }).strict(),
  z
    .object({
      reply: z.literal('reschedule'),
      proposedAt: z.iso.datetime({ offset: true }).max(40),
      comment: z.string().trim().max(1000).optional(),
    })
    .strict(),
]);
