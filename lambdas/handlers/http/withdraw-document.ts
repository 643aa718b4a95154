import { requireEnv } from '../../adapters/env.ts';
import { claimSummary } from '../../app/claim-view.ts';
import { withdrawDocument } from '../../app/document-withdrawal.ts';
import { WithdrawDocumentBody } from '../../core/api-schemas.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';
import { idempotentRequests } from '../../http/idempotency.ts';

requireEnv('TABLE_NAME');

/** The customer withdraws one of their documents (app/document-withdrawal.ts); a replay with the same key repeats the answer. */
export const handler = apiHandler(
  'WithdrawDocument',
  { body: WithdrawDocumentBody, idempotent: idempotentRequests({ perResource: true }) },
  async ({ principal, params, body }) => {
    const claim = await withdrawDocument(
      principal,
      params.claimId ?? '',
      params.documentId ?? '',
      body,
      systemClock,
    );
    return { body: claimSummary(claim), headers: { etag: `"${claim.version}"` } };
  },
);
