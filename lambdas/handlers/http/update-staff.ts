import { requireEnv } from '../../adapters/env.ts';
import { saveStaff } from '../../app/staff.ts';
import { StaffUpdateBody } from '../../core/staff-schemas.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME', 'USER_POOL_ID');

/** PUT /admin/staff/new creates (201, Location of the new account); PUT /admin/staff/{userId} replaces. */
export const handler = apiHandler(
  'UpdateStaff',
  { body: StaffUpdateBody },
  async ({ principal, params, body }) => {
    const r = await saveStaff(principal, params.userId ?? '', body, systemClock);
    // 202: a grant awaits a second administrator (GET /admin/changes); nothing changed yet.
    if (r.pending) return { status: 202, body: { ...r.staff, changed: false, pending: r.pending } };
    return {
      status: r.created ? 201 : 200,
      body: { ...r.staff, changed: r.changed },
      headers: {
        etag: `"${r.staff.version}"`,
        ...(r.created ? { location: `/admin/staff/${r.staff.userId}` } : {}),
      },
    };
  },
);
