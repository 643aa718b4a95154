import { requireEnv } from '../../adapters/env.ts';
import { createPaymentBatch } from '../../app/payment-batch.ts';
import { DomainError } from '../../core/errors.ts';
import { CreateBatchBody } from '../../core/finance.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME', 'EXPORTS_BUCKET', 'FIELD_KEY_ID');

/**
 * Not Powertools-idempotent on purpose: the batch id is derived from cut-off + Idempotency-Key,
 * so a repeated or concurrent request returns the same batch (even one still being built).
 */
export const handler = apiHandler(
  'CreatePaymentBatch',
  { body: CreateBatchBody },
  async ({ principal, body, headers }) => {
    const key = headers['idempotency-key'] ?? '';
    if (!key) throw new DomainError('IDEMPOTENCY_KEY_REQUIRED', 'Send an Idempotency-Key header');
    if (!/^[A-Za-z0-9_-]{8,128}$/.test(key)) {
      throw new DomainError('VALIDATION_FAILED', 'Idempotency-Key must be 8–128 letters, digits, - or _', {
        fields: [{ path: 'header.idempotency-key', code: 'invalid_format', message: 'bad idempotency key' }],
      });
    }
    const { batch, created } = await createPaymentBatch(
      principal,
      { cutoff: body.cutoff, idempotencyKey: key },
      systemClock,
    );
    return {
      status: created ? 201 : batch.status === 'building' ? 202 : 200,
      body: batch,
      headers: { location: `/finance/batches/${batch.batchId}` },
    };
  },
);
