import * as z from 'zod/mini';
import { requireEnv } from '../../adapters/env.ts';
import { onDeadlineFired } from '../../app/deadlines.ts';
import { onHeldNoticeFired } from '../../app/held-notices.ts';
import { HELD_NOTICE_KIND } from '../../core/notice-digest.ts';
import { fixedClock } from '../../core/time.ts';
import { taskHandler } from '../../http/task-handler.ts';

requireEnv('TABLE_NAME', 'EMAIL_FROM', 'WEB_BASE_URL', 'DEPARTMENT_TOPIC_ARNS');

/**
 * Target of the deadline schedules (lambdas/adapters/schedules.ts) and of held notices' schedules;
 * `scheduledTime` comes from Scheduler.
 */
const Input = z.object({
  claimId: z.string().check(z.minLength(1)),
  deadlineId: z.optional(z.string().check(z.minLength(1))),
  kind: z.string().check(z.minLength(1)),
  /** A held notice's event (kind `held_notice`, app/held-notices.ts), and whether it was put off again. */
  seq: z.optional(z.int().check(z.positive())),
  rearm: z.optional(z.int().check(z.gte(0), z.lte(1))),
  phase: z.enum(['at_risk', 'due']),
  dueAt: z.iso.datetime(),
  scheduledTime: z.iso.datetime(),
});

// "Now" is when the schedule was due, not when it ran: late deliveries and a local clock moved
// forward by tests both record the deadline at its own time.
export const handler = taskHandler(
  'DeadlineFired',
  Input,
  (input): Promise<{ outcome: string }> =>
    input.kind === HELD_NOTICE_KIND && input.seq !== undefined
      ? onHeldNoticeFired({ ...input, seq: input.seq })
      : onDeadlineFired(input, fixedClock(input.scheduledTime)),
);
