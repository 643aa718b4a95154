import { z } from 'zod';
import { requireEnv } from '../../adapters/env.ts';
import { claimSummary } from '../../app/claim-view.ts';
import { confirmPayoutAccountChange } from '../../app/payout-account.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

const ConfirmBody = z.object({ code: z.string().regex(/^[0-9]{6}$/, 'code') }).strict();

export const handler = apiHandler(
  'ConfirmPayoutAccountChange',
  { body: ConfirmBody },
  async ({ principal, params, body }) => ({
    body: claimSummary(
      await confirmPayoutAccountChange(principal, params.claimId ?? '', body.code, systemClock),
    ),
  }),
);
