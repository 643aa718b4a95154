import { requireEnv } from '../../adapters/env.ts';
import { changeCalendar } from '../../app/configuration.ts';
import { CalendarChangeEnvelope } from '../../core/staff-schemas.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler(
  'UpdateCalendar',
  { body: CalendarChangeEnvelope },
  async ({ principal, body }) => {
    const r = await changeCalendar(principal, body, systemClock);
    return { body: r, headers: { etag: `"${r.version}"` } };
  },
);
