import { requireEnv } from '../../adapters/env.ts';
import { importConfirmation } from '../../app/finance.ts';
import { ImportConfirmationBody, MAX_CONFIRMATION_BYTES } from '../../core/finance.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME', 'EXPORTS_BUCKET');

/** The bank's CSV travels inside a bounded JSON body (no upload step for a file this small). */
export const handler = apiHandler(
  'ImportBankConfirmation',
  { body: ImportConfirmationBody, maxBodyBytes: MAX_CONFIRMATION_BYTES + 4096 },
  async ({ principal, body }) => {
    const { reconciliation, replay } = await importConfirmation(principal, body, systemClock);
    return {
      status: replay ? 200 : 201,
      body: { ...reconciliation, replay },
      headers: { location: `/finance/reconciliations/${reconciliation.reconId}` },
    };
  },
);
