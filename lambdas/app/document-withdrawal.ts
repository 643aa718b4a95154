import { documentsOfClaim, getDocument } from '../adapters/dynamo/claims-repo.ts';
import type { Caller as Principal } from '../core/caller.ts';
import { receivedAfterWithdrawal, withdrawalRefusal } from '../core/dossier.ts';
import { DomainError } from '../core/errors.ts';
import type { Clock } from '../core/time.ts';
import { loadClaimFor, mutateClaim } from './claim-store.ts';
import { scoreClaim } from './fraud.ts';

/**
 * POST /claims/{claimId}/documents/{documentId}/withdraw: the customer takes back a document of
 * theirs before anyone relied on it (the rule: core/dossier.ts `withdrawalRefusal`). Nothing is
 * lost: the bytes stay where they are and the record stays, marked WITHDRAWN, for staff and the
 * audit trail; the claim stops counting it — its type is missing again unless another verified
 * document of that type is on the claim — and the fraud features and straight-through, which read
 * verified documents only, no longer see it. The date the dossier first completed is kept: the
 * insurer's Art. 31 payment clock, once started, is never pushed later by a withdrawal.
 * Withdrawing a document already withdrawn answers the claim as it is (a repeat is harmless).
 */
export async function withdrawDocument(
  principal: Principal,
  claimId: string,
  documentId: string,
  body: { expectedVersion: number },
  clock: Clock,
) {
  const claim = await loadClaimFor(principal, claimId);
  if (!principal.customerId || claim.customerId !== principal.customerId)
    throw new DomainError('CLAIM_NOT_FOUND', 'Claim not found');
  const doc = await getDocument(claimId, documentId);
  if (doc?.status === 'WITHDRAWN') return claim;
  if (!doc || doc.status === 'PENDING_UPLOAD')
    throw new DomainError('DOCUMENT_NOT_FOUND', 'Document not found');
  const saved = await mutateClaim(
    claimId,
    clock,
    async (c) => {
      const current = await getDocument(claimId, documentId);
      if (!current) throw new DomainError('DOCUMENT_NOT_FOUND', 'Document not found');
      if (current.status === 'WITHDRAWN') return null;
      const refusal = withdrawalRefusal(c, current);
      if (refusal === 'DOCUMENT_NOT_OWN')
        throw new DomainError(refusal, 'Only documents you sent can be withdrawn');
      if (refusal === 'DOCUMENT_NOT_WITHDRAWABLE')
        throw new DomainError(refusal, 'The claim has been assessed with this document', {
          status: c.status,
        });
      if (refusal) throw new DomainError(refusal, 'Document not found');
      const others = (await documentsOfClaim(claimId)).filter((d) => d.documentId !== documentId);
      const receivedDocuments = receivedAfterWithdrawal(c.receivedDocuments, current, others);
      const now = clock.now().toISOString();
      return {
        claim: { ...c, receivedDocuments },
        documents: [
          {
            ...current,
            status: 'WITHDRAWN' as const,
            withdrawnAt: now,
            statusBeforeWithdrawal: current.status as 'VERIFIED' | 'QUARANTINED',
          },
        ],
        events: [
          {
            type: 'DocumentWithdrawn' as const,
            actor: { kind: 'customer' as const, id: principal.userId },
            data: {
              documentId,
              docType: current.docType,
              fileName: current.fileName,
              missingAgain:
                !receivedDocuments.includes(current.docType) && c.requiredDocuments.includes(current.docType),
            },
          },
        ],
      };
    },
    body.expectedVersion,
    claim,
  );
  // The fraud features read verified documents only: score again without this one.
  if (doc.status === 'VERIFIED') await scoreClaim(claimId, clock, 'documents');
  return saved;
}
