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
    // 202: a calendar that pushes deadlines back awaits a second administrator (GET /admin/changes).
    return { status: r.pending ? 202 : 200, body: r, headers: { etag: `"${r.version}"` } };
  },
);
