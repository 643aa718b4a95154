import { requireEnv } from '../../adapters/env.ts';
import { linkIntakeRecord } from '../../app/intake-records.ts';
import { IntakeLinkBody } from '../../core/inbound-email.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler(
  'LinkIntakeRecord',
  { body: IntakeLinkBody },
  async ({ principal, params, body }) => ({
    body: await linkIntakeRecord(principal, params.intakeId ?? '', body, systemClock),
  }),
);
