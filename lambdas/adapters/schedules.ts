import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  type GetScheduleCommandOutput,
  ListSchedulesCommand,
  ResourceNotFoundException,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { scheduler } from './aws-clients.ts';
import { env } from './env.ts';

/**
 * EventBridge Scheduler: one one-time schedule per claim deadline phase, in the claims deadline
 * group, targeting the DeadlineFired function. Schedules delete themselves after firing
 * (`ActionAfterCompletion: DELETE`), so the group only ever holds deadlines still to come.
 * A firing Scheduler cannot deliver (the invoke refused or throttled past its retries) goes to the
 * deadline dead-letter queue, which alarms (docs/operations-runbook.md `DeadlineDeadLetters`),
 * instead of being dropped without a trace.
 */

/** Scheduler's limit for schedule names (CreateSchedule `Name`). */
export const SCHEDULE_NAME = /^[0-9a-zA-Z\-_.]{1,64}$/;

/**
 * Retries of a firing whose invoke fails, set rather than left to Scheduler's defaults: as long and
 * as often as Scheduler allows (24 hours, 185 attempts), because a deadline that fires late still
 * escalates and one that never fires does not. Then the dead-letter queue.
 */
export const DEADLINE_RETRY_POLICY = { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 } as const;

/** Filled in by Scheduler at invocation time, so the target knows when it was due (not when it ran). */
export const SCHEDULED_TIME_PLACEHOLDER = '<aws.scheduler.scheduled-time>';

/**
 * `at(yyyy-mm-ddThh:mm:ss)` in UTC. Scheduler has whole-second precision: the instant is rounded UP
 * so a due phase never fires before the deadline it reports (dues end at …59.999).
 */
export function atExpression(at: Date): string {
  const whole = new Date(Math.ceil(at.getTime() / 1000) * 1000);
  return `at(${whole.toISOString().slice(0, 19)})`;
}

export interface OneTimeSchedule {
  name: string;
  at: Date;
  /** The target's input; `scheduledTime` is added from Scheduler's context attribute. */
  input: Record<string, unknown>;
}

/**
 * Creates a one-time schedule. Idempotent: a schedule of that name that already exists
 * (a redelivered stream record, a retried task) counts as scheduled.
 */
export async function createOneTimeSchedule(s: OneTimeSchedule): Promise<'created' | 'exists'> {
  if (!SCHEDULE_NAME.test(s.name)) throw new Error(`Invalid schedule name: ${s.name}`);
  try {
    await scheduler().send(
      new CreateScheduleCommand({
        Name: s.name,
        GroupName: env('SCHEDULER_GROUP'),
        ScheduleExpression: atExpression(s.at),
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        State: 'ENABLED',
        Target: {
          Arn: env('DEADLINE_TARGET_ARN'),
          RoleArn: env('SCHEDULER_ROLE_ARN'),
          RetryPolicy: { ...DEADLINE_RETRY_POLICY },
          DeadLetterConfig: { Arn: env('SCHEDULER_DEAD_LETTER_ARN') },
          // The placeholder sits inside a JSON string, so the substituted text stays valid JSON.
          Input: JSON.stringify({ ...s.input, scheduledTime: SCHEDULED_TIME_PLACEHOLDER }),
        },
      }),
    );
    return 'created';
  } catch (e) {
    if (e instanceof ConflictException) return 'exists';
    throw e;
  }
}

/** Deletes a schedule; one that is already gone (fired, or deleted before) is not an error. */
export async function deleteSchedule(name: string): Promise<void> {
  try {
    await scheduler().send(new DeleteScheduleCommand({ Name: name, GroupName: env('SCHEDULER_GROUP') }));
  } catch (e) {
    if (e instanceof ResourceNotFoundException) return;
    throw e;
  }
}

/** A deadline schedule as GetSchedule returns it (its whole definition). */
export type ScheduleDefinition = GetScheduleCommandOutput;

/**
 * The names of every schedule in the deadline group, a ListSchedules page (up to 100) at a time:
 * read by the backfill that points schedules created before a deploy at the current role and
 * dead-letter queue. No request path lists schedules.
 */
export async function* deadlineScheduleNamePages(): AsyncGenerator<string[]> {
  let token: string | undefined;
  do {
    const page = await scheduler().send(
      new ListSchedulesCommand({ GroupName: env('SCHEDULER_GROUP'), MaxResults: 100, NextToken: token }),
    );
    token = page.NextToken;
    yield (page.Schedules ?? []).flatMap((s) => (s.Name ? [s.Name] : []));
  } while (token);
}

/** A deadline schedule's whole definition, or undefined when it is gone (fired, or deleted). */
export async function getDeadlineSchedule(name: string): Promise<ScheduleDefinition | undefined> {
  try {
    return await scheduler().send(new GetScheduleCommand({ Name: name, GroupName: env('SCHEDULER_GROUP') }));
  } catch (e) {
    if (e instanceof ResourceNotFoundException) return undefined;
    throw e;
  }
}

/**
 * Whether a schedule's firings go where new schedules' do: the role Scheduler assumes now
 * (SCHEDULER_ROLE_ARN) and the deadline dead-letter queue (SCHEDULER_DEAD_LETTER_ARN). A schedule
 * created before both moved to the stateful stack names a role the deploy deleted and no queue.
 */
export const deliversAsNow = (s: ScheduleDefinition): boolean =>
  s.Target?.RoleArn === env('SCHEDULER_ROLE_ARN') &&
  s.Target?.DeadLetterConfig?.Arn === env('SCHEDULER_DEAD_LETTER_ARN');

/**
 * Points a schedule at the current role and dead-letter queue and changes nothing else.
 * UpdateSchedule replaces the whole definition (an omitted field takes its default: no
 * ActionAfterCompletion would keep a fired schedule for ever), so every field GetSchedule returned
 * goes back as it was. `gone` when it fired and deleted itself (or was deleted) since it was read:
 * nothing is left to repoint.
 */
export async function repointSchedule(s: ScheduleDefinition): Promise<'repointed' | 'gone'> {
  const { Name, ScheduleExpression, Target, FlexibleTimeWindow } = s;
  if (!Name || !ScheduleExpression || !Target?.Arn || !FlexibleTimeWindow)
    throw new Error(`Schedule ${Name ?? '(no name)'} came back without its definition`);
  try {
    await scheduler().send(
      new UpdateScheduleCommand({
        Name,
        GroupName: s.GroupName ?? env('SCHEDULER_GROUP'),
        ScheduleExpression,
        ScheduleExpressionTimezone: s.ScheduleExpressionTimezone,
        StartDate: s.StartDate,
        EndDate: s.EndDate,
        Description: s.Description,
        State: s.State,
        KmsKeyArn: s.KmsKeyArn,
        FlexibleTimeWindow,
        ActionAfterCompletion: s.ActionAfterCompletion,
        Target: {
          ...Target,
          Arn: Target.Arn,
          RoleArn: env('SCHEDULER_ROLE_ARN'),
          DeadLetterConfig: { Arn: env('SCHEDULER_DEAD_LETTER_ARN') },
        },
      }),
    );
    return 'repointed';
  } catch (e) {
    if (e instanceof ResourceNotFoundException) return 'gone';
    throw e;
  }
}
