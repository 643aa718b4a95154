import { startDeadlineReplan } from '../adapters/workflow.ts';
import { logger } from '../runtime/logger.ts';
import type { ReplanCursor } from './deadlines.ts';

/** What the deadline-replan state machine carries from page to page (its execution input first). */
export interface ReplanRun {
  /** The calendar version the change put in force. */
  calendarVersion: number;
  cursor: ReplanCursor;
  /** Claims with a deadline moved, and deadlines moved, so far. */
  claims: number;
  moved: number;
}

/** A `CalendarChanged` administration event as the table stream delivers it. */
export interface CalendarChange {
  seq: number;
  hash: string;
  data: { version: number };
}

/**
 * The re-planning run owed to one calendar change: named after the change (the version it put in
 * force and its audit event's hash), so a redelivered record names the same execution, and a
 * version number seen again after a restore from backup names another.
 */
export function replanRunFor(change: CalendarChange): { name: string; input: ReplanRun } {
  return {
    name: `calendar-v${change.data.version}-${change.hash.slice(0, 16)}`,
    input: { calendarVersion: change.data.version, cursor: { statusIndex: 0 }, claims: 0, moved: 0 },
  };
}

/**
 * The holiday calendar changed: starts the run that re-plans every open claim's running deadlines
 * (statemachines/deadline-replan.asl.json). Delivered from the table stream with retries; a run
 * already started for this change (a redelivered record) counts as done.
 */
export async function startReplanForCalendarChange(change: CalendarChange): Promise<void> {
  const { name, input } = replanRunFor(change);
  const outcome = await startDeadlineReplan(name, { ...input });
  if (outcome === 'already') logger.warn('deadline re-planning was already started', { execution: name });
  else
    logger.info('deadline re-planning started', { execution: name, calendarVersion: input.calendarVersion });
}
