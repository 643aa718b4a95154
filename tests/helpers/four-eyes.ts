import { userIdFor } from '../../local/demo-data.ts';
import { type Api, apiAs } from './stack.ts';

/**
 * The second administrator, for the changes that need one (core/admin-changes.ts): seeded beside
 * `admin` (local/demo-data.ts), so the stack has exactly two active administrators.
 */
export const SECOND_ADMIN = 'phuong.le';
export async function secondAdmin(apiUrl: string) {
  return { api: await apiAs(apiUrl, SECOND_ADMIN), userId: userIdFor(SECOND_ADMIN), username: SECOND_ADMIN };
}

type Reply = Awaited<ReturnType<Api['raw']>>;

/**
 * `reply` as it would be once in force: a 202 (a change awaiting a second administrator) approved
 * by `approver`, answered like the PUT that made it (201 for a new account, with the account's view).
 */
export async function approvedBy(approver: Api, reply: Reply): Promise<{ status: number; body: any }> {
  if (reply.status !== 202) return reply;
  const decided = await approver.raw(`/admin/changes/${reply.body.pending.changeId}`, {
    method: 'POST',
    body: JSON.stringify({ action: 'approve' }),
    headers: { 'content-type': 'application/json' },
  });
  if (decided.status !== 200) return decided;
  const result = decided.body.result;
  if (result?.staff)
    return { status: result.created ? 201 : 200, body: { ...result.staff, changed: result.changed } };
  return { status: 200, body: result };
}
