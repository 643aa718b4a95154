import * as z from 'zod/mini';
import { requireEnv } from '../../adapters/env.ts';
import { onDeadlineFired } from '../../app/deadlines.ts';
import { fixedClock } from '../../core/time.ts';
import { taskHandler } from '../../http/task-handler.ts';

requireEnv('TABLE_NAME', 'EMAIL_FROM', 'WEB_BASE_URL', 'DEPARTMENT_TOPIC_ARNS');

/** Target of the deadline schedules (lambdas/adapters/schedules.ts); `scheduledTime` comes from Scheduler. */
const Input = z.object({
  claimId: z.string().check(z.minLength(1)),
  deadlineId: z.optional(z.string().check(z.minLength(1))),
  kind: z.string().check(z.minLength(1)),
  phase: z.enum(['at_risk', 'due']),
  dueAt: z.iso.datetime(),
  scheduledTime: z.iso.datetime(),
});

// "Now" is when the schedule was due, not when it ran: late deliveries and a local clock moved
// forward by tests both record the deadline at its own time.
export const handler = taskHandler('DeadlineFired', Input, (input) =>
  onDeadlineFired(input, fixedClock(input.scheduledTime)),
);
