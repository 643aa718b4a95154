import * as z from 'zod/mini';
import { requireEnv } from '../../adapters/env.ts';
import type { ReplanRun } from '../../app/calendar-replan.ts';
import { replanOpenDeadlinesPage } from '../../app/deadlines.ts';
import { OPEN_STATUSES } from '../../core/lifecycle.ts';
import { systemClock } from '../../core/time.ts';
import { taskHandler } from '../../http/task-handler.ts';

requireEnv(
  'TABLE_NAME',
  'SCHEDULER_GROUP',
  'SCHEDULER_ROLE_ARN',
  'SCHEDULER_DEAD_LETTER_ARN',
  'DEADLINE_TARGET_ARN',
);

/** Claims re-planned per invocation at most: a page's work stays well inside the function's time. */
const MAX_CLAIMS_PER_PAGE = 100;
/**
 * No claim is started with less than a quarter of the invocation's time left (30 s of the 120 s on
 * AWS; one claim takes well under a second), at least 5 s.
 */
const reserveMs = (remainingMs: number) => Math.max(5_000, Math.floor(remainingMs / 4));

/** The loop's state (app/calendar-replan.ts ReplanRun), bounded: the cursor is a work-queue sort key. */
const Input = z.object({
  calendarVersion: z.int().check(z.gte(0)),
  cursor: z.object({
    statusIndex: z.int().check(z.gte(0), z.lte(OPEN_STATUSES.length)),
    after: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  }),
  claims: z.int().check(z.gte(0)),
  moved: z.int().check(z.gte(0)),
});

/**
 * One step of the deadline-replan state machine: re-plans a bounded page of open claims from the
 * cursor and returns the state for the next step (`outcome: 'more'`), or the run's end (`done`,
 * `superseded` by a newer calendar change).
 */
export const handler = taskHandler(
  'ReplanDeadlines',
  Input,
  async ({ calendarVersion, cursor, claims, moved }: ReplanRun, context) => {
    const reserve = reserveMs(context.getRemainingTimeInMillis());
    const page = await replanOpenDeadlinesPage(
      calendarVersion,
      cursor,
      { maxClaims: MAX_CLAIMS_PER_PAGE, hasTime: () => context.getRemainingTimeInMillis() > reserve },
      systemClock,
      { claims, moved },
    );
    return { calendarVersion, ...page };
  },
);
